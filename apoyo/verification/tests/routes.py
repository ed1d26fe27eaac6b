"""Running the same data through both routes of the compulsa (CONTRACT.md export_for_ine /
import_ine_results: "the same data through either route gives the same VALIDO and MOTIVO for every
support, and the same aspirants.csv"), through the batch commands as an OPL scripts them."""

import csv

from django.core.management import call_command

from apoyo.roll.models import RollCut, RollEntry


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ine_answer_file(export_path, answer_path):
    """What INE would answer: each exported support looked up in the roll."""
    roll = {e.elector_key: e for e in RollEntry.objects.all()}
    with open(answer_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["ID", "SITUACION_REGISTRAL", "CAUSA_BAJA", "ENTIDAD", "SECCION"])
        for row in read(export_path):
            entry = roll.get(row["CLAVE_ELECTOR"])
            if entry is None:
                writer.writerow([row["ID"], "NO_ENCONTRADO", "", "", ""])
                continue
            writer.writerow(
                [
                    row["ID"],
                    entry.situation,
                    entry.removal_cause,
                    entry.state_number,
                    entry.section_number,
                ]
            )


def export(office_code, folder):
    """export_results of the office into `folder`: {"supports": rows, "aspirants": rows}."""
    call_command("export_results", "--office", office_code, "--out", str(folder))
    return {name: read(folder / f"{name}.csv") for name in ("supports", "aspirants")}


def both_routes(office_code, tmp_path):
    """The results of the direct compulsa against the roll, then of the INE route for the same
    supports once the roll is gone (an OPL with INE's answers only): (direct, via_ine)."""
    call_command("run_check", "--office", office_code)
    direct = export(office_code, tmp_path / "directa")
    call_command("export_for_ine", "--office", office_code, str(tmp_path / "para_ine.csv"))
    ine_answer_file(tmp_path / "para_ine.csv", tmp_path / "respuesta.csv")
    RollEntry.objects.all().delete()
    RollCut.objects.all().delete()
    call_command("import_ine_results", str(tmp_path / "respuesta.csv"))
    return direct, export(office_code, tmp_path / "ine")


def verdicts(files):
    """Each support's (aspirant, folio, clave, FECHA_APOYO, VALIDO, MOTIVO), sorted."""
    return sorted(
        (
            r["ASPIRANTE"],
            r["NUMERO_REFERENCIA"],
            r["CLAVE_ELECTOR"],
            r["FECHA_APOYO"],
            r["VALIDO"],
            r["MOTIVO"],
        )
        for r in files["supports"]
    )


def assert_routes_agree(direct, via_ine):
    assert verdicts(direct) == verdicts(via_ine)
    assert direct["aspirants"] == via_ine["aspirants"]
