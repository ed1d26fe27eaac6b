"""SIVOPLE's starting catalogues: document types, INE's main areas and the name of each OPL.

All three are kept afterwards by UTVOPL (types and areas in SIVOPLE's pages, OPL names in the admin).
"""

from django.db import migrations

# (code, name, working days to answer)
DOCUMENT_TYPES = [
    ("CONSULTA", "Consulta", 10),
    ("SOLICITUD", "Solicitud", 10),
    ("DOCUMENTO", "Documento", 5),
    ("INFORME", "Informe", 5),
]

AREAS = [
    ("DERFE", "Dirección Ejecutiva del Registro Federal de Electores"),
    ("DEPPP", "Dirección Ejecutiva de Prerrogativas y Partidos Políticos"),
    ("DEOE", "Dirección Ejecutiva de Organización Electoral"),
    ("DECEYEC", "Dirección Ejecutiva de Capacitación Electoral y Educación Cívica"),
    ("DESPEN", "Dirección Ejecutiva del Servicio Profesional Electoral Nacional"),
    ("DEA", "Dirección Ejecutiva de Administración"),
    ("DJ", "Dirección Jurídica"),
    ("DS", "Dirección del Secretariado"),
    ("UTF", "Unidad Técnica de Fiscalización"),
    ("UTCE", "Unidad Técnica de lo Contencioso Electoral"),
    ("UNICOM", "Unidad Técnica de Servicios de Informática"),
    ("UTIGYND", "Unidad Técnica de Igualdad de Género y No Discriminación"),
    ("UTVOPL", "Unidad Técnica de Vinculación con los Organismos Públicos Locales"),
    ("CNCS", "Coordinación Nacional de Comunicación Social"),
]

# INE's entity number -> the OPL's official name.
OPLS = {
    1: "Instituto Estatal Electoral de Aguascalientes",
    2: "Instituto Estatal Electoral de Baja California",
    3: "Instituto Estatal Electoral de Baja California Sur",
    4: "Instituto Electoral del Estado de Campeche",
    5: "Instituto Electoral de Coahuila",
    6: "Instituto Electoral del Estado de Colima",
    7: "Instituto de Elecciones y de Participación Ciudadana de Chiapas",
    8: "Instituto Estatal Electoral de Chihuahua",
    9: "Instituto Electoral de la Ciudad de México",
    10: "Instituto Electoral y de Participación Ciudadana del Estado de Durango",
    11: "Instituto Electoral del Estado de Guanajuato",
    12: "Instituto Electoral y de Participación Ciudadana del Estado de Guerrero",
    13: "Instituto Estatal Electoral de Hidalgo",
    14: "Instituto Electoral y de Participación Ciudadana del Estado de Jalisco",
    15: "Instituto Electoral del Estado de México",
    16: "Instituto Electoral de Michoacán",
    17: "Instituto Morelense de Procesos Electorales y Participación Ciudadana",
    18: "Instituto Estatal Electoral de Nayarit",
    19: "Instituto Estatal Electoral y de Participación Ciudadana de Nuevo León",
    20: "Instituto Estatal Electoral y de Participación Ciudadana de Oaxaca",
    21: "Instituto Electoral del Estado de Puebla",
    22: "Instituto Electoral del Estado de Querétaro",
    23: "Instituto Electoral de Quintana Roo",
    24: "Consejo Estatal Electoral y de Participación Ciudadana de San Luis Potosí",
    25: "Instituto Electoral del Estado de Sinaloa",
    26: "Instituto Estatal Electoral y de Participación Ciudadana de Sonora",
    27: "Instituto Electoral y de Participación Ciudadana de Tabasco",
    28: "Instituto Electoral de Tamaulipas",
    29: "Instituto Tlaxcalteca de Elecciones",
    30: "Organismo Público Local Electoral del Estado de Veracruz",
    31: "Instituto Electoral y de Participación Ciudadana de Yucatán",
    32: "Instituto Electoral del Estado de Zacatecas",
}


def load_catalogues(apps, schema_editor):
    DocumentType = apps.get_model("liaison", "DocumentType")
    Area = apps.get_model("liaison", "Area")
    Opl = apps.get_model("liaison", "Opl")
    State = apps.get_model("geo", "State")
    for code, name, due_days in DOCUMENT_TYPES:
        DocumentType.objects.get_or_create(code=code, defaults={"name": name, "due_days": due_days})
    for code, name in AREAS:
        Area.objects.get_or_create(code=code, defaults={"name": name})
    for state in State.objects.filter(number__in=OPLS):
        Opl.objects.get_or_create(state=state, defaults={"name": OPLS[state.number]})


class Migration(migrations.Migration):
    dependencies = [("liaison", "0001_initial"), ("geo", "0002_states")]
    operations = [migrations.RunPython(load_catalogues, migrations.RunPython.noop)]
