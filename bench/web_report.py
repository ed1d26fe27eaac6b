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


def pace(pause):
    return f"pausa {pause:g} s" if pause else "sin pausas"


def print_web_table(print_table, say, supports, measured):
    header = ["base de datos", "ritmo", "página", "solicitudes", "p50", "p95", "p99", "meta p95"]
    header.append("errores")
    lines = [
        [
            database,
            pace(result["pause"]),
            page,
            f"{entry['n']:,}",
            f"{entry['p50_ms']:.0f} ms",
            f"{entry['p95_ms']:.0f} ms",
            f"{entry['p99_ms']:.0f} ms",
            f"<{entry['target_ms']} ms: {verdict(entry['p95_ms'], entry['target_ms'])}",
            str(entry["errors"]),
        ]
        for database, results in measured
        for result in results
        for page, entry in result["pages"].items()
    ]
    title = (
        f"Web bajo carga · 20 usuarios · {supports:,} apoyos · con una carga masiva de "
        "100,000 filas en curso"
    )
    print_table(title, header, lines)
    for database, results in measured:
        for result in results:
            errors = sum(entry["errors"] for entry in result["pages"].values())
            say(
                f"{database}, {pace(result['pause'])}: {errors} errores, {result['locked']} "
                "«database is locked» en el registro del servidor; la carga masiva terminó la "
                f"medición en estado «{result['upload_status']}» (gunicorn: {result['workers']} "
                f"procesos × {result['threads']} hilos, {result['seconds']:g} s)."
            )
    say(
        "Guardar (abrir cédula, guardar fila, aceptar, API, entrar): meta p95 < 300 ms; páginas: "
        "< 200 ms. Clientes, servidor, trabajador y base comparten la máquina."
    )
    say(
        "Ritmo: cada usuario espera en promedio esa pausa tras cada respuesta (una persona lee o "
        "teclea; 1 s es veinte veces más rápido que capturar una fila). «Sin pausas» es la prueba "
        "de esfuerzo: 20 solicitudes siempre en curso saturan los 2 núcleos con cualquier código."
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
