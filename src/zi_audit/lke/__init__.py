"""The LKE (PermenPANRB 90/2021): its rows and weights as data, and the score the evidence supports."""
