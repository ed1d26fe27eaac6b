"""The result files of a run (CONTRACT export_results), shared by the command and the pages; the
dispersion sheet of the results workbook; and the aspirant's own supports with their motivo (the
portal's download)."""

from decimal import Decimal

from apoyo.verification.models import AspirantResult, Motive, SupportResult, UnitResult

CENT = Decimal("0.01")

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
            # A number (XLSX writes a number cell); str() gives the CONTRACT's two decimals in CSV.
            Decimal(result.percent).quantize(CENT),
            "" if result.units_met is None else result.units_met,
            "" if result.units_required is None else result.units_required,
            int(result.meets),
            *(result.motive_counts.get(motive, 0) for motive in Motive.values),
        ]


DISPERSION_HEADER = [
    "ASPIRANTE",
    "UNIDAD",
    "NOMBRE_UNIDAD",
    "LISTA_NOMINAL",
    "REQUERIDOS",
    "VALIDOS",
    "CUMPLE",
]


def dispersion_rows(run):
    """The dispersion table of every aspirant of the run, one row per unit, as the pages show it."""
    units = UnitResult.objects.filter(run=run).select_related("aspirant")
    for unit in units.order_by("aspirant__code", "unit_number").iterator(chunk_size=5000):
        yield [
            unit.aspirant.code,
            unit.unit_number,
            unit.unit_name,
            unit.nominal_list,
            unit.required,
            unit.valid,
            int(unit.met),
        ]


PORTAL_HEADER = [
    "Folio de la cédula",
    "Clave de elector",
    "Nombre",
    "Apellido paterno",
    "Apellido materno",
    "Canal",
    "Fecha del apoyo",
    "Situación registral",
    "Válido",
    "Motivo",
]


def portal_rows(results):
    """The aspirant's supports in one run with their motivo, as the portal lists them; `results`
    is the page's queryset (scoped to the aspirant, motivo filter applied)."""
    for r in results.iterator(chunk_size=2000):
        s = r.support
        yield [
            s.reference,
            s.elector_key,
            s.name,
            s.paternal_surname,
            s.maternal_surname,
            s.get_channel_display(),
            s.support_date,
            r.get_registry_status_display(),
            "Sí" if r.valid else "No",
            r.get_motive_display(),
        ]
