"""The national catalogue of mesa de control inconsistencies, as INE reported them (DOMAIN.md)."""

NATIONAL_INCONSISTENCIES = [
    ("FOTOCOPIA", "Fotocopia de la credencial para votar"),
    ("SIMULACION", "Simulación de la credencial para votar"),
    ("DOCUMENTO_NO_VALIDO", "Documento distinto a la credencial para votar"),
    ("IMAGEN_NO_CORRESPONDE", "La imagen no corresponde al ciudadano"),
    ("SOLO_ANVERSO_O_REVERSO", "Solo anverso o solo reverso de la credencial"),
    ("BLANCO_Y_NEGRO", "Credencial en blanco y negro"),
    ("ILEGIBLE", "Datos ilegibles"),
    ("FOTO_VIVA_NO_CORRESPONDE", "La foto viva no corresponde al ciudadano"),
    ("SIN_FIRMA", "Sin firma del ciudadano"),
    ("FIRMA_NO_CORRESPONDE", "La firma no corresponde"),
    ("FORMATO_NO_APROBADO", "Cédula en formato no aprobado"),
    ("DATOS_INCOMPLETOS", "Datos incompletos"),
    ("OTRA", "Otra inconsistencia (ver comentario)"),
]
