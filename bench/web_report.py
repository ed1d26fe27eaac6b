"""`make bench ONLY=web` and `ONLY=lists`: the commands of their child processes and their tables."""

import sys

from bench import roll_data

WEB_SUPPORTS = 105_000
LISTS_SUPPORTS = 1_000_000
LISTS_ROLL_ROWS = 2_200_000  # bench.roll_data draws the supports from a roll at least twice as big


def web_command(roll_rows, supports, files, seconds):
    return [
        sys.executable,
        "-m",
        "bench.web",
        f"--roll={files['roll']}",
        f"--roll-rows={roll_rows}",
        f"--supports={files['supports']}",
        f"--support-rows={supports}",
        f"--xlsx={files['XLSX']}",
        f"--seconds={seconds}",
    ]


def lists_command(roll_rows, supports, files):
    return [
        sys.executable,
        "-m",
        "bench.lists",
        f"--roll={files['roll']}",
        f"--roll-rows={roll_rows}",
        f"--supports={files['supports']}",
        f"--support-rows={supports}",
    ]


def verdict(ms, target):
    return "cumple" if ms < target else "no cumple"


def print_web_table(print_table, say, supports, measured):
    header = ["base de datos", "página", "solicitudes", "p50", "p95", "p99", "meta p95", "errores"]
    lines = []
    for database, results in measured:
        for page, entry in results[0]["pages"].items():
            lines.append(
                [
                    database,
                    page,
                    f"{entry['n']:,}",
                    f"{entry['p50_ms']:.0f} ms",
                    f"{entry['p95_ms']:.0f} ms",
                    f"{entry['p99_ms']:.0f} ms",
                    f"<{entry['target_ms']} ms: {verdict(entry['p95_ms'], entry['target_ms'])}",
                    str(entry["errors"]),
                ]
            )
    title = (
        f"Web bajo carga · 20 usuarios · {supports:,} apoyos · con una carga masiva de "
        "100,000 filas en curso"
    )
    print_table(title, header, lines)
    for database, results in measured:
        result = results[0]
        errors = sum(entry["errors"] for entry in result["pages"].values())
        say(
            f"{database}: {errors} errores, {result['locked']} «database is locked» en el registro "
            f"del servidor; la carga masiva terminó la medición en estado «{result['upload_status']}» "
            f"(gunicorn: {result['workers']} procesos × {result['threads']} hilos, "
            f"{result['seconds']:g} s)."
        )
    say(
        "Guardar (abrir cédula, guardar fila, aceptar, API, entrar): meta p95 < 300 ms; páginas: "
        "< 200 ms. Clientes, servidor, trabajador y base comparten la máquina."
    )


def print_lists_table(print_table, supports, measured):
    header = ["base de datos", "página", "p50", "p95", "meta (p95 < 200 ms)"]
    lines = [
        [
            database,
            entry["page"],
            f"{entry['p50_ms']:.0f} ms",
            f"{entry['p95_ms']:.0f} ms",
            verdict(entry["p95_ms"], entry["target_ms"]),
        ]
        for database, results in measured
        for entry in results
    ]
    title = f"Listas · {supports:,} apoyos de {roll_data.ASPIRANTS} aspirantes en la entidad"
    print_table(title, header, lines)
