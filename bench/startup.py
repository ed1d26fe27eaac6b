"""Start-up of `manage.py` as a user runs it (issue 15, target 0): `manage.py help` and a batch
command (`run_check` of an office that does not exist, so it sets Django up, opens the database and
stops), each a whole process with PYTHONDONTWRITEBYTECODE=1 as containers and CI set it.

References measured in the same run: the bare interpreter, and the same commands without any
bytecode (an empty PYTHONPYCACHEPREFIX: what every process paid when the venv was installed without
compiled bytecode). Best of several runs, as wall time and as CPU time (user + system of the child):
on a shared machine the CPU time is the steadier figure.
"""

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.6
RUNS = 5


def child_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_process(command, env):
    """(wall seconds, CPU seconds) of one whole process."""
    cpu = child_cpu()
    start = perf_counter()
    # The command is this interpreter running manage.py with fixed arguments.
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)  # noqa: S603
    return perf_counter() - start, child_cpu() - cpu


def best(command, env, runs=RUNS):
    times = [timed_process(command, env) for _ in range(runs)]
    return min(wall for wall, _ in times), min(cpu for _, cpu in times)


def commands():
    python = sys.executable
    return [
        ("intérprete solo (python -c pass)", [python, "-c", "pass"], False),
        ("manage.py help", [python, "manage.py", "help"], True),
        (
            "manage.py run_check (arranque)",
            [python, "manage.py", "run_check", "--office", "BENCH-NO-EXISTE"],
            True,
        ),
    ]


def measure(directory, say):
    """[(label, wall, cpu, wall without bytecode, cpu without bytecode, has target)]."""
    env = dict(os.environ)
    env.update(
        PYTHONDONTWRITEBYTECODE="1",
        DATABASE_URL=f"sqlite:///{directory}/arranque.sqlite3",
        APOYO_DATA_DIR=str(directory / "datos-arranque"),
        DJANGO_SETTINGS_MODULE="apoyo.settings",
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    no_bytecode = dict(env, PYTHONPYCACHEPREFIX=tempfile.mkdtemp(dir=directory))
    results = []
    for label, command, has_target in commands():
        wall, cpu = best(command, env)
        cold_wall, cold_cpu = best(command, no_bytecode, runs=2)
        say(f"  {label}: {wall:.2f} s ({cpu:.2f} s de CPU); sin bytecode {cold_wall:.2f} s")
        results.append((label, wall, cpu, cold_wall, cold_cpu, has_target))
    return results


def table_lines(results):
    lines = []
    for label, wall, cpu, cold_wall, cold_cpu, has_target in results:
        verdict = ("cumple" if wall < TARGET_SECONDS else "no cumple") if has_target else "—"
        lines.append(
            [
                label,
                f"{wall:.2f} s",
                f"{cpu:.2f} s",
                verdict,
                f"{cold_wall:.2f} s",
                f"{cold_cpu:.2f} s",
            ]
        )
    return lines


HEADER = [
    "proceso",
    "tiempo (mejor de 5)",
    "CPU",
    f"meta (<{TARGET_SECONDS:g} s)",
    "sin bytecode",
    "CPU sin bytecode",
]
NOTE = (
    "Con PYTHONDONTWRITEBYTECODE=1. «Sin bytecode»: el mismo proceso sin archivos .pyc (como "
    "quedaba el entorno instalado sin --compile-bytecode). Los comandos del contrato no corren "
    "las comprobaciones del sistema, que importan todas las páginas."
)
