"""The result files of a run (CONTRACT export_results), shared by the command and the pages."""

from apoyo.verification.models import AspirantResult, Motive, SupportResult

SUPPORT_HEADER = [
    "ASPIRANTE",
    "NUMERO_REFERENCIA",
    "CLAVE_ELECTOR",
    "CANAL",
    "FECHA_APOYO",
    "SITUACION_REGISTRAL",
    "CAUSA_BAJA",
    "OCR_COINCIDE",
    "DUPLICIDAD",
    "TIPO_INCONSISTENCIA",
    "VALIDO",
    "MOTIVO",
]
ASPIRANT_HEADER = [
    "ASPIRANTE",
    "CARGO",
    "LISTA_NOMINAL",
    "REQUERIDOS",
    "CAPTURADOS",
    "VALIDOS",
    "PORCENTAJE",
    "UNIDADES_CUMPLEN",
    "UNIDADES_REQUERIDAS",
    "CUMPLE",
    *Motive.values,
]


def flag(value):
    return "" if value is None else int(value)


def support_rows(run, results=None):
    """One row per support of the run, in aspirant and capture order."""
    results = results if results is not None else SupportResult.objects.filter(run=run)
    rows = results.order_by("aspirant__code", "support_id").values_list(
        "aspirant__code",
        "support__cedula__reference",
        "support__elector_key",
        "support__channel",
        "support__support_date",
        "registry_status",
        "removal_cause",
        "ocr_match",
        "duplicity",
        "support__inconsistency__code",
        "valid",
        "motive",
    )
    for (
        aspirant,
        reference,
        key,
        channel,
        day,
        status,
        cause,
        ocr,
        dup,
        code,
        valid,
        motive,
    ) in rows.iterator(chunk_size=10000):
        yield [
            aspirant,
            reference or "",
            key,
            channel,
            day.isoformat(),
            status,
            cause,
            flag(ocr),
            dup,
            code or "",
            int(valid),
            motive,
        ]


def aspirant_rows(run):
    results = AspirantResult.objects.filter(run=run).select_related("aspirant", "run__office")
    for result in results.order_by("aspirant__code"):
        yield [
            result.aspirant.code,
            result.run.office.code,
            result.nominal_list,
            result.required,
            result.captured,
            result.valid,
            f"{result.percent:.2f}",
            "" if result.units_met is None else result.units_met,
            "" if result.units_required is None else result.units_required,
            int(result.meets),
            *(result.motive_counts.get(motive, 0) for motive in Motive.values),
        ]
