"""The dictamen (DOMAIN.md, lifecycle step 7; GLOSSARY: Ruling): the OPL's final statement, per
office, of each aspirant's valid supports against the required ones (LGIPE 371), the dispersion
table, the supports that do not count by motivo (LGIPE 385), the outcome of the garantía de
audiencia and whether the aspirant meets the requirements (cumple / no cumple).

- services.py: when a dictamen may be generated, and generating it;
- figures.py: what it states, computed once and kept with it as JSON, and its sentences;
- pdf.py: the PDF drawn from those figures with reportlab;
- views.py: the list of an office's dictámenes, the printable page and the PDF.
"""
