"""Polish texts of the messages about uploaded badge pictures and evidence files, plain
organisation badges and badge requests (issue 15)."""

MESSAGES = {
    # Uploads (services/image_files.py, services/images.py, http/images.py)
    "The file is over {limit} bytes.": "Plik ma więcej niż {limit} bajtów.",
    "The file is empty.": "Plik jest pusty.",
    "The PDF is cut off or damaged.": "Plik PDF jest ucięty albo uszkodzony.",
    "The picture would decode to too many pixels.": (
        "Obraz po zdekodowaniu miałby zbyt wiele pikseli."
    ),
    "The picture cannot be read.": "Nie da się odczytać obrazu.",
    "Upload a PNG, JPEG or SVG picture.": "Wgraj obraz PNG, JPEG albo SVG.",
    "The picture is {width}×{height} pixels; at most {max_side} on each side.": (
        "Obraz ma {width}×{height} pikseli; najwyżej {max_side} na każdym boku."
    ),
    "The SVG picture cannot be drawn.": "Nie da się narysować obrazu SVG.",
    "The SVG is not well-formed XML without a DTD.": (
        "SVG nie jest poprawnym dokumentem XML bez DTD."
    ),
    "The SVG has more than {SVG_MAX_ELEMENTS} elements or nests them more than "
    "{SVG_MAX_DEPTH} deep.": (
        "SVG ma więcej niż {SVG_MAX_ELEMENTS} elementów albo zagnieżdża je głębiej niż "
        "na {SVG_MAX_DEPTH} poziomów."
    ),
    "No such picture uploaded for this club.": "Nie ma takiego obrazu wgranego dla tego klubu.",
    "No such file of yours.": "Nie masz takiego pliku.",
    "No such file.": "Nie ma takiego pliku.",
    "At most {limit} uploads in 24 hours.": "Najwyżej {limit} przesłanych plików na dobę.",
    "Give either imageId (an uploaded picture) or imageUrl.": (
        "Podaj albo imageId (wgrany obraz), albo imageUrl."
    ),
    # Plain organisation badges (services/badges.py)
    "A microcredential is published through review: submit it for review.": (
        "Mikropoświadczenie publikuje się po recenzji: zgłoś je do weryfikacji."
    ),
    "A plain badge is published by its staff with publishBadge, not reviewed.": (
        "Zwykłą odznakę publikuje jej organizacja przez publishBadge, bez recenzji."
    ),
    "A {status} badge cannot be published.": "Odznaki o stanie „{status}” nie można opublikować.",
    "Accept the issuer agreement before publishing badges.": (
        "Przed publikacją odznak zaakceptuj umowę wystawcy."
    ),
    "An organisation's badge is a MICROCREDENTIAL or a BADGE.": (
        "Odznaka organizacji to MICROCREDENTIAL albo BADGE."
    ),
    "Required for a badge: say it in at least one language.": (
        "Wymagane dla odznaki: napisz to w co najmniej jednym języku."
    ),
    "The badge lacks what a plain badge needs.": (
        "Odznace brakuje tego, czego wymaga zwykła odznaka."
    ),
    # Badge requests (services/badge_requests.py)
    "No such badge request.": "Nie ma takiej prośby o odznakę.",
    "Only an organisation's published badges can be requested.": (
        "Prosić można tylko o opublikowane odznaki organizacji."
    ),
    "This request was decided already.": "O tej prośbie już zdecydowano.",
    "You have an open request for this badge already.": ("Masz już otwartą prośbę o tę odznakę."),
}
