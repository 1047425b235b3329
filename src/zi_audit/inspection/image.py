"""Image judge (Pillow): fully decoded, not only opened; EXIF date; bombs and icons flagged."""

from __future__ import annotations

import datetime as dt
import re
import warnings

from PIL import ExifTags, Image, ImageStat, UnidentifiedImageError

from zi_audit.inspection.verdict import Verdict

# An image whose longer side is under this many pixels cannot show a document or an
# activity: it is an icon, an emoji, a logo or a thumbnail saved under an evidence name.
# Real evidence images are far larger: WhatsApp sends photos at 1,600 px on the longer
# side (about 800 with data saving), a phone screenshot is at least 720 px wide, and a
# scanner at 150 dpi gives 1,240 x 1,754 px for an A4 page; icons and logos are 16-256 px.
# docs/problems.md states the same.
TOO_SMALL = 300
_EXIF_DATE = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def _heif_available() -> bool:
    try:
        from pillow_heif import register_heif_opener  # type: ignore[import-not-found]
    except ImportError:
        return False
    register_heif_opener()
    return True


def judge_image(path: str, ext: str) -> Verdict:
    v = Verdict()
    if ext in ("heic", "heif") and not _heif_available():
        v.note("unsupported")  # cannot judge without pillow-heif: say so, never "corrupt"
        return v
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as im:
                im.verify()  # structure and checksums; does not decode
            with Image.open(path) as im:
                width, height = im.size
                if im.format == "JPEG":
                    # Decode at 1/8 scale: libjpeg still reads every entropy-coded block
                    # (truncation is still caught) but skips most of the inverse DCT,
                    # which was 70% of judging a photo.
                    im.draft(im.mode, (max(1, width // 8), max(1, height // 8)))
                im.load()  # decodes the pixels: catches truncation verify() misses
                exif = im.getexif()
                try:
                    paper = _looks_like_paper(im)
                except (ValueError, OSError):  # a mode without colours to weigh (I;16…)
                    paper = False
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            return v.fail("too_large", str(exc))
        except UnidentifiedImageError:
            return v.fail("corrupt", "not an image Pillow can read")
        except OSError as exc:
            if exc.errno is not None:
                raise  # the file system's error (gone, no permission), not the image's
            text = str(exc)
            cut = "truncated" in text or "broken data stream" in text or _jpeg_cut(path, ext)
            return v.fail("truncated" if cut else "corrupt", text)
        except (SyntaxError, ValueError, TypeError, IndexError, EOFError) as exc:
            return v.fail("corrupt", f"{type(exc).__name__}: {exc}")
    if max(width, height) < TOO_SMALL:
        v.fail("too_small", f"{width} x {height} px")
    if ext in ("jpg", "jpeg") and _too_little_data(path, width, height):
        v.fail("truncated", f"too little data for {width} x {height} px")
    _exif_date(exif, v)
    if paper and v.valid:
        v.note("ocr_pending")  # a page photographed or scanned: its words wait for OCR
    return v


def _looks_like_paper(im: Image.Image) -> bool:
    """A page, not a scene: mostly light, hardly coloured, with dark marks on it (text).
    Only such images are worth OCR's seconds; a photo of a meeting is not read."""
    small = im.copy()
    small.thumbnail((256, 256))
    rgb = small.convert("RGB")
    saturation = ImageStat.Stat(rgb.convert("HSV")).mean[1]
    grey = rgb.convert("L")
    light = ImageStat.Stat(grey)
    # At 1/8 scale thin type is grey, not black: ink is whatever is clearly off white.
    ink = sum(grey.histogram()[:200]) / max(1, grey.width * grey.height)
    return saturation < 40 and light.mean[0] > 150 and 0.002 < ink < 0.4


def _too_little_data(path: str, width: int, height: int) -> bool:
    """Every 8x8 block of a JPEG costs at least two bits (its DC value and its end of
    block): a header claiming more pixels than the file can code was cut or forged
    (libjpeg fills what is missing in gray and says nothing)."""
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
    return size * 8 < (width // 8) * (height // 8)


def _jpeg_cut(path: str, ext: str) -> bool:
    """A complete JPEG ends with the EOI marker; an unfinished upload does not."""
    if ext not in ("jpg", "jpeg"):
        return False
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - 64))
        return b"\xff\xd9" not in fh.read()


def _exif_date(exif: Image.Exif, v: Verdict) -> None:
    try:
        sub = exif.get_ifd(ExifTags.IFD.Exif)
    except (KeyError, ValueError, TypeError, OSError):
        sub = {}
    for raw, offset, source in (
        (sub.get(0x9003), sub.get(0x9011), "exif"),  # DateTimeOriginal, OffsetTimeOriginal
        (exif.get(0x0132), sub.get(0x9010), "exif-ifd0"),  # DateTime (last change), OffsetTime
    ):
        if not isinstance(raw, str):
            continue
        m = _EXIF_DATE.match(raw.strip())
        if not m or m[1] == "0000":
            continue
        try:
            year, month, day, hour, minute, second = (int(g) for g in m.groups())
            when = dt.datetime(year, month, day, hour, minute, second)
        except ValueError:
            continue
        if isinstance(offset, str) and (o := _OFFSET.match(offset.strip())):
            delta = dt.timedelta(hours=int(o[2]), minutes=int(o[3]))
            when = when.replace(tzinfo=dt.timezone(delta if o[1] == "+" else -delta))
        v.created, v.precision, v.date_source, v.raw_date = when, "day", source, raw
        return
