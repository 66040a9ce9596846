"""Strava's bulk-export `activities.csv` in the locales Strava offers: header, type and month names.

Sources: German from a real export (../shared/formats/strava_de_to_en_header_map.json); French and
Dutch headers and type names from exports' headers published in public repositories; Italian's date,
description and file headers and five type names from a real export (ratnanil/Project_Daniel_Sophie:
the reconstructed "Data attività" had refused it); Spanish, Portuguese and the rest of Italian from
Strava's own translations of the same labels in its web app, except the Latin-American Spanish
variants a real export wrote (DanielAlejandroDuquePerez/running-coach: "Id. de actividad",
"Ritmo cardíaco", 12-hour dates `2 ago 2026, 12:20:32 p.m.`).
Only the columns crosstrain reads are listed (`Filename` is read by the export folder's file matching,
ingest/files/sources.py). Dates in these locales name the month (`9 mei 2026, 19:00:00`,
`9 déc. 2022, 15:24:49`); MONTHS maps those names.
"""

from __future__ import annotations

HEADERS: dict[str, dict[str, str]] = {
    "en": {},
    "de": {
        "Aktivitäts-ID": "Activity ID",
        "Aktivitätsdatum": "Activity Date",
        "Name der Aktivität": "Activity Name",
        "Aktivitätsart": "Activity Type",
        "Aktivitätsbeschreibung": "Activity Description",
        "Verstrichene Zeit": "Elapsed Time",
        "Distanz": "Distance",
        "Max. Herzfrequenz": "Max Heart Rate",
        "Relative Leistung": "Relative Effort",
        "Bewegungszeit": "Moving Time",
        "Höhenzunahme": "Elevation Gain",
        "Durchschnittliche Geschwindigkeit": "Average Speed",
        "Durchschnittliche Herzfrequenz": "Average Heart Rate",
        "Gefühlte Anstrengung": "Perceived Exertion",
        "Dateiname": "Filename",
    },
    "fr": {
        "ID de l'activité": "Activity ID",
        "Date de l'activité": "Activity Date",
        "Nom de l'activité": "Activity Name",
        "Type d'activité": "Activity Type",
        "Description de l'activité": "Activity Description",
        "Temps écoulé": "Elapsed Time",
        "Distance": "Distance",
        "Fréquence cardiaque max.": "Max Heart Rate",
        "Effort relatif": "Relative Effort",
        "Durée de déplacement": "Moving Time",
        "Dénivelé positif": "Elevation Gain",
        "Vitesse moyenne": "Average Speed",
        "Fréquence cardiaque moyenne": "Average Heart Rate",
        "Effort perçu": "Perceived Exertion",
    },
    "es": {
        "ID de actividad": "Activity ID",
        "Id. de actividad": "Activity ID",  # DanielAlejandroDuquePerez/running-coach (es-419 export)
        "Fecha de la actividad": "Activity Date",
        "Nombre de la actividad": "Activity Name",
        "Tipo de actividad": "Activity Type",
        "Descripción de la actividad": "Activity Description",
        "Tiempo transcurrido": "Elapsed Time",
        "Distancia": "Distance",
        "Frecuencia cardiaca máxima": "Max Heart Rate",
        "Ritmo cardíaco máx.": "Max Heart Rate",  # DanielAlejandroDuquePerez/running-coach
        "Nombre de archivo": "Filename",  # DanielAlejandroDuquePerez/running-coach
        "Esfuerzo relativo": "Relative Effort",
        "Tiempo en movimiento": "Moving Time",
        "Desnivel positivo": "Elevation Gain",
        "Velocidad media": "Average Speed",
        "Velocidad promedio": "Average Speed",  # DanielAlejandroDuquePerez/running-coach
        "Frecuencia cardiaca media": "Average Heart Rate",
        "Ritmo cardíaco promedio": "Average Heart Rate",  # DanielAlejandroDuquePerez/running-coach
        "Esfuerzo percibido": "Perceived Exertion",
        "Esfuerzo Percibido": "Perceived Exertion",  # DanielAlejandroDuquePerez/running-coach
    },
    "it": {
        "ID attività": "Activity ID",
        "Data attività": "Activity Date",
        "Data dell’attività": "Activity Date",  # ratnanil/Project_Daniel_Sophie (typographic apostrophe)
        "Nome attività": "Activity Name",
        "Tipo attività": "Activity Type",
        "Descrizione attività": "Activity Description",
        "Descrizione dell’attività": "Activity Description",  # ratnanil/Project_Daniel_Sophie
        "Nome del file": "Filename",  # ratnanil/Project_Daniel_Sophie
        "Tempo trascorso": "Elapsed Time",
        "Distanza": "Distance",
        "Frequenza cardiaca massima": "Max Heart Rate",
        "Sforzo relativo": "Relative Effort",
        "Tempo in movimento": "Moving Time",
        "Dislivello positivo": "Elevation Gain",
        "Velocità media": "Average Speed",
        "Frequenza cardiaca media": "Average Heart Rate",
        "Sforzo percepito": "Perceived Exertion",
    },
    "nl": {
        "Activiteits-ID": "Activity ID",
        "Datum van activiteit": "Activity Date",
        "Naam activiteit": "Activity Name",
        "Activiteitstype": "Activity Type",
        "Beschrijving van activiteit": "Activity Description",
        "Verstreken tijd": "Elapsed Time",
        "Afstand": "Distance",
        "Max. hartslag": "Max Heart Rate",
        "Relatieve inspanning": "Relative Effort",
        "Beweegtijd": "Moving Time",
        "Totale stijging": "Elevation Gain",
        "Gemiddelde snelheid": "Average Speed",
        "Gemiddelde hartslag": "Average Heart Rate",
        "Ervaren inspanning": "Perceived Exertion",
    },
    "pt": {
        "ID da atividade": "Activity ID",
        "Data da atividade": "Activity Date",
        "Nome da atividade": "Activity Name",
        "Tipo de atividade": "Activity Type",
        "Descrição da atividade": "Activity Description",
        "Tempo decorrido": "Elapsed Time",
        "Distância": "Distance",
        "Frequência cardíaca máxima": "Max Heart Rate",
        "Esforço relativo": "Relative Effort",
        "Tempo de movimentação": "Moving Time",
        "Ganho de elevação": "Elevation Gain",
        "Velocidade média": "Average Speed",
        "Frequência cardíaca média": "Average Heart Rate",
        "Esforço percebido": "Perceived Exertion",
    },
}

TYPES: dict[str, dict[str, str]] = {
    "en": {},
    "de": {
        "Lauf": "Run",
        "Trailrun": "Trail Run",
        "Radfahrt": "Ride",
        "Schwimmen": "Swim",
        "Spaziergang": "Walk",
        "Wanderung": "Hike",
        "Krafttraining": "Weight Training",
        "Training": "Workout",
        "Virtuelle Radfahrt": "Virtual Ride",
        "Crosstrainer": "Elliptical",
        "Rudern": "Rowing",
    },
    "fr": {
        "Course à pied": "Run",
        "Trail": "Trail Run",
        "Vélo": "Ride",
        "Sortie à vélo": "Ride",
        "Natation": "Swim",
        "Marche": "Walk",
        "Randonnée": "Hike",
        "Entraînement aux poids": "Weight Training",
        "Musculation": "Weight Training",
        "Entraînement": "Workout",
        "Vélo virtuel": "Virtual Ride",
        "Elliptique": "Elliptical",
        "Aviron": "Rowing",
    },
    "es": {
        "Carrera": "Run",
        "Carrera por montaña": "Trail Run",
        "Bicicleta": "Ride",
        "Vuelta ciclista": "Ride",  # DanielAlejandroDuquePerez/running-coach
        "Natación": "Swim",
        "Caminata": "Walk",
        "Excursionismo": "Hike",
        "Entrenamiento con pesas": "Weight Training",
        "Entrenamiento": "Workout",
        "Bicicleta virtual": "Virtual Ride",
        "Elíptica": "Elliptical",
        "Remo": "Rowing",
    },
    "it": {
        "Corsa": "Run",
        "Trail running": "Trail Run",
        "Giro in bici": "Ride",
        "Ciclismo": "Ride",  # ratnanil/Project_Daniel_Sophie
        "Nuoto": "Swim",
        "Nuotata": "Swim",  # ratnanil/Project_Daniel_Sophie
        "Sci nordico": "Nordic Ski",  # ratnanil/Project_Daniel_Sophie
        "Sci alpino": "Alpine Ski",  # ratnanil/Project_Daniel_Sophie
        "Camminata": "Walk",
        "Escursione": "Hike",
        "Allenamento con i pesi": "Weight Training",
        "Allenamento": "Workout",
        "Giro in bici virtuale": "Virtual Ride",
        "Ellittica": "Elliptical",
        "Canottaggio": "Rowing",
    },
    "nl": {
        "Hardloopsessie": "Run",
        "Trailrun": "Trail Run",
        "Fietsrit": "Ride",
        "Zwemmen": "Swim",
        "Wandeling": "Walk",
        "Hike": "Hike",
        "Krachttraining": "Weight Training",
        "Training": "Workout",
        "Virtuele fietsrit": "Virtual Ride",
        "Crosstrainer": "Elliptical",
        "Roeien": "Rowing",
        "Kayakken": "Kayaking",  # JoranVerspreet/2025_activities_dashboard
        "Kitesurfen": "Kitesurf",  # JoranVerspreet/2025_activities_dashboard
    },
    "pt": {
        "Corrida": "Run",
        "Corrida em trilha": "Trail Run",
        "Pedalada": "Ride",
        "Natação": "Swim",
        "Caminhada": "Walk",
        "Trilha": "Hike",
        "Musculação": "Weight Training",
        "Treino": "Workout",
        "Pedalada virtual": "Virtual Ride",
        "Elíptico": "Elliptical",
        "Remo": "Rowing",
    },
}


def _months(names: str) -> dict[str, int]:
    """January..December from twelve space-separated names."""
    return dict(zip(names.split(), range(1, 13), strict=True))


# Month names as Strava's localized dates write them (lower case, without a trailing dot).
MONTHS: dict[str, dict[str, int]] = {
    "fr": _months("janv févr mars avr mai juin juil août sept oct nov déc")
    | _months("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
    "es": _months("ene feb mar abr may jun jul ago sept oct nov dic") | {"sep": 9},
    "it": _months("gen feb mar apr mag giu lug ago set ott nov dic"),
    "nl": _months("jan feb mrt apr mei jun jul aug sep okt nov dec") | {"sept": 9},
    "pt": _months("jan fev mar abr mai jun jul ago set out nov dez"),
}
