"""`make bench`: timings of the heavy paths against DESIGN.md "Performance targets".

`python -m bench` generates the data files once and runs each measurement in a child process per
database (bench.upload for the carga masiva, bench.compulsa for the roll import and the
compulsa), so every database starts from a fresh, migrated schema.
"""
