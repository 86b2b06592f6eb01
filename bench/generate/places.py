"""Poland's 16 voivodeships with real cities (WGS-84 coordinates, population in thousands),
and street addresses for generated places."""

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    region: str
    name: str
    latitude: float
    longitude: float
    population: int  # thousands: how many generated people live there


_TABLE = {
    "mazowieckie": [
        ("Warszawa", 52.2297, 21.0122, 1860),
        ("Radom", 51.4027, 21.1471, 200),
        ("Płock", 52.5463, 19.7065, 116),
        ("Siedlce", 52.1676, 22.2901, 77),
        ("Piaseczno", 52.0814, 21.0237, 50),
        ("Legionowo", 52.4015, 20.9267, 54),
        ("Pruszków", 52.1706, 20.8119, 62),
    ],
    "małopolskie": [
        ("Kraków", 50.0647, 19.9450, 800),
        ("Tarnów", 49.9822, 20.9873, 105),
        ("Nowy Sącz", 49.6218, 20.6970, 83),
        ("Zakopane", 49.2992, 19.9496, 26),
    ],
    "śląskie": [
        ("Katowice", 50.2649, 19.0238, 285),
        ("Gliwice", 50.2945, 18.6714, 175),
        ("Częstochowa", 50.8118, 19.1203, 210),
        ("Bielsko-Biała", 49.8224, 19.0584, 168),
        ("Sosnowiec", 50.2863, 19.1041, 195),
    ],
    "wielkopolskie": [
        ("Poznań", 52.4064, 16.9252, 540),
        ("Kalisz", 51.7611, 18.0910, 98),
        ("Konin", 52.2230, 18.2511, 72),
        ("Piła", 53.1510, 16.7378, 72),
        ("Gniezno", 52.5348, 17.5826, 67),
    ],
    "dolnośląskie": [
        ("Wrocław", 51.1079, 17.0385, 674),
        ("Wałbrzych", 50.7714, 16.2843, 110),
        ("Legnica", 51.2070, 16.1619, 98),
        ("Jelenia Góra", 50.9044, 15.7194, 78),
    ],
    "łódzkie": [
        ("Łódź", 51.7592, 19.4560, 660),
        ("Piotrków Trybunalski", 51.4055, 19.7031, 72),
        ("Pabianice", 51.6645, 19.3547, 64),
        ("Skierniewice", 51.9547, 20.1580, 47),
    ],
    "pomorskie": [
        ("Gdańsk", 54.3520, 18.6466, 486),
        ("Gdynia", 54.5189, 18.5305, 245),
        ("Słupsk", 54.4641, 17.0287, 90),
        ("Tczew", 54.0924, 18.7779, 60),
    ],
    "zachodniopomorskie": [
        ("Szczecin", 53.4285, 14.5528, 395),
        ("Koszalin", 54.1944, 16.1722, 105),
        ("Stargard", 53.3367, 15.0499, 67),
    ],
    "kujawsko-pomorskie": [
        ("Bydgoszcz", 53.1235, 18.0084, 340),
        ("Toruń", 53.0138, 18.5984, 198),
        ("Włocławek", 52.6483, 19.0677, 107),
        ("Grudziądz", 53.4837, 18.7536, 92),
    ],
    "lubelskie": [
        ("Lublin", 51.2465, 22.5684, 340),
        ("Zamość", 50.7231, 23.2520, 62),
        ("Chełm", 51.1431, 23.4716, 62),
        ("Biała Podlaska", 52.0325, 23.1149, 57),
    ],
    "podkarpackie": [
        ("Rzeszów", 50.0412, 21.9991, 197),
        ("Przemyśl", 49.7838, 22.7678, 60),
        ("Stalowa Wola", 50.5826, 22.0535, 60),
        ("Krosno", 49.6887, 21.7706, 46),
    ],
    "podlaskie": [
        ("Białystok", 53.1325, 23.1688, 297),
        ("Suwałki", 54.1118, 22.9309, 69),
        ("Łomża", 53.1781, 22.0590, 63),
    ],
    "warmińsko-mazurskie": [
        ("Olsztyn", 53.7784, 20.4801, 172),
        ("Elbląg", 54.1561, 19.4045, 120),
        ("Ełk", 53.8280, 22.3647, 62),
    ],
    "świętokrzyskie": [
        ("Kielce", 50.8661, 20.6286, 195),
        ("Ostrowiec Świętokrzyski", 50.9294, 21.3853, 71),
        ("Starachowice", 51.0374, 21.0712, 49),
    ],
    "opolskie": [
        ("Opole", 50.6751, 17.9213, 128),
        ("Kędzierzyn-Koźle", 50.3499, 18.2263, 62),
        ("Nysa", 50.4747, 17.3344, 44),
    ],
    "lubuskie": [
        ("Zielona Góra", 51.9356, 15.5062, 140),
        ("Gorzów Wielkopolski", 52.7368, 15.2288, 123),
        ("Nowa Sól", 51.8030, 15.7172, 39),
    ],
}

CITIES = [City(region, *row) for region, rows in _TABLE.items() for row in rows]
REGIONS = list(_TABLE)
WEIGHTS = [city.population for city in CITIES]

STREETS = [
    "ul. Szkolna",
    "ul. Długa",
    "ul. Kościuszki",
    "ul. Mickiewicza",
    "ul. Polna",
    "ul. Lipowa",
    "ul. Słoneczna",
    "ul. Ogrodowa",
    "ul. Leśna",
    "pl. Wolności",
    "ul. 3 Maja",
    "ul. Sienkiewicza",
    "ul. Piłsudskiego",
    "ul. Kwiatowa",
    "ul. Akademicka",
]


def jitter(rng: random.Random, city: City, km: float) -> tuple[float, float]:
    """A point within about `km` of the city centre."""
    return (
        round(city.latitude + rng.uniform(-km, km) / 111.0, 5),
        round(city.longitude + rng.uniform(-km, km) / 70.0, 5),
    )


def address(rng: random.Random, city: City) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {city.name}"
