"""Words for generated data: the skill hierarchy (20 areas of 6 skills, Polish and English),
badge levels, and people's names."""

# (area in Polish, in English) -> its narrower skills
SKILLS: list[tuple[tuple[str, str], list[tuple[str, str]]]] = [
    (
        ("Programowanie", "Programming"),
        [
            ("Programowanie w Pythonie", "Python programming"),
            ("Programowanie w JavaScript", "JavaScript programming"),
            ("Kontrola wersji z Git", "Version control with Git"),
            ("Testowanie oprogramowania", "Software testing"),
            ("Tworzenie aplikacji webowych", "Web application development"),
            ("Bazy danych SQL", "SQL databases"),
        ],
    ),
    (
        ("Analiza danych", "Data analysis"),
        [
            ("Arkusze kalkulacyjne", "Spreadsheets"),
            ("Wizualizacja danych", "Data visualisation"),
            ("Statystyka opisowa", "Descriptive statistics"),
            ("Podejmowanie decyzji na podstawie danych", "Data-driven decision-making"),
            ("Uczenie maszynowe", "Machine learning"),
            ("Analiza danych w Pythonie", "Data analysis in Python"),
        ],
    ),
    (
        ("Zarządzanie projektami", "Project management"),
        [
            ("Planowanie projektu", "Project planning"),
            ("Zarządzanie ryzykiem projektu", "Project risk management"),
            ("Metodyki zwinne", "Agile methods"),
            ("Budżet projektu", "Project budgeting"),
            ("Komunikacja z interesariuszami", "Stakeholder communication"),
            ("Kierowanie zespołem projektowym", "Leading a project team"),
        ],
    ),
    (
        ("Bezpieczeństwo cyfrowe", "Digital security"),
        [
            ("Bezpieczeństwo w sieci", "Online safety"),
            ("Ochrona danych osobowych", "Personal data protection"),
            ("Hasła i uwierzytelnianie", "Passwords and authentication"),
            ("Rozpoznawanie phishingu", "Recognising phishing"),
            ("Bezpieczeństwo sieci firmowej", "Company network security"),
            ("Reagowanie na incydenty", "Incident response"),
        ],
    ),
    (
        ("Kompetencje cyfrowe", "Digital skills"),
        [
            ("Edytor tekstu", "Word processing"),
            ("Prezentacje multimedialne", "Multimedia presentations"),
            ("Praca w chmurze", "Working in the cloud"),
            ("Korzystanie z narzędzi AI", "Using AI tools"),
            ("Krytyczna ocena informacji", "Critical evaluation of information"),
            ("Komunikacja online", "Online communication"),
        ],
    ),
    (
        ("Komunikacja", "Communication"),
        [
            ("Wystąpienia publiczne", "Public speaking"),
            ("Komunikacja w miejscu pracy", "Workplace communication"),
            ("Negocjacje", "Negotiation"),
            ("Pisanie tekstów użytkowych", "Business writing"),
            ("Rozwiązywanie konfliktów", "Conflict resolution"),
            ("Udzielanie informacji zwrotnej", "Giving feedback"),
        ],
    ),
    (
        ("Przywództwo", "Leadership"),
        [
            ("Motywowanie zespołu", "Motivating a team"),
            ("Delegowanie zadań", "Delegating"),
            ("Coaching", "Coaching"),
            ("Zarządzanie zmianą", "Change management"),
            ("Podejmowanie decyzji", "Decision-making"),
            ("Zarządzanie czasem", "Time management"),
        ],
    ),
    (
        ("Finanse", "Finance"),
        [
            ("Finanse przedsiębiorstwa", "Corporate finance"),
            ("Księgowość", "Bookkeeping"),
            ("Budżet domowy", "Household budgeting"),
            ("Podatki", "Taxes"),
            ("Analiza finansowa", "Financial analysis"),
            ("Inwestowanie", "Investing"),
        ],
    ),
    (
        ("Marketing", "Marketing"),
        [
            ("Marketing cyfrowy", "Digital marketing"),
            ("Media społecznościowe", "Social media"),
            ("Copywriting", "Copywriting"),
            ("Badania rynku", "Market research"),
            ("Marka osobista", "Personal branding"),
            ("Reklama internetowa", "Online advertising"),
        ],
    ),
    (
        ("Języki obce", "Foreign languages"),
        [
            ("Język angielski w biznesie", "Business English"),
            ("Język niemiecki", "German"),
            ("Język hiszpański", "Spanish"),
            ("Polski jako obcy", "Polish as a foreign language"),
            ("Tłumaczenie", "Translation"),
            ("Polski język migowy", "Polish sign language"),
        ],
    ),
    (
        ("Pierwsza pomoc i zdrowie", "First aid and health"),
        [
            ("Pierwsza pomoc", "First aid"),
            ("Resuscytacja krążeniowo-oddechowa", "CPR"),
            ("Zdrowe odżywianie", "Healthy eating"),
            ("BHP", "Occupational safety"),
            ("Zdrowie psychiczne", "Mental health"),
            ("Ergonomia pracy", "Workplace ergonomics"),
        ],
    ),
    (
        ("Sport", "Sport"),
        [
            ("Trening biegowy", "Running training"),
            ("Pływanie", "Swimming"),
            ("Sędziowanie", "Refereeing"),
            ("Trenowanie dzieci", "Coaching children"),
            ("Żeglarstwo", "Sailing"),
            ("Wspinaczka", "Climbing"),
        ],
    ),
    (
        ("Logistyka", "Logistics"),
        [
            ("Logistyka magazynowa", "Warehouse logistics"),
            ("Obsługa wózka widłowego", "Forklift operation"),
            ("Łańcuch dostaw", "Supply chain management"),
            ("Transport drogowy", "Road transport"),
            ("Zarządzanie zapasami", "Inventory management"),
            ("Systemy WMS", "Warehouse management systems"),
        ],
    ),
    (
        ("Obsługa klienta", "Customer service"),
        [
            ("Standardy obsługi klienta", "Customer service standards"),
            ("Sprzedaż", "Sales"),
            ("Obsługa reklamacji", "Handling complaints"),
            ("Obsługa klienta zagranicznego", "Serving foreign customers"),
            ("Obsługa telefoniczna", "Phone customer service"),
            ("Budowanie relacji z klientem", "Customer relationships"),
        ],
    ),
    (
        ("Grafika i multimedia", "Graphics and media"),
        [
            ("Grafika komputerowa", "Computer graphics"),
            ("Fotografia", "Photography"),
            ("Montaż wideo", "Video editing"),
            ("Projektowanie UX", "UX design"),
            ("Typografia", "Typography"),
            ("Animacja", "Animation"),
        ],
    ),
    (
        ("Technika i robotyka", "Engineering and robotics"),
        [
            ("Robotyka", "Robotics"),
            ("Druk 3D", "3D printing"),
            ("Elektronika", "Electronics"),
            ("Automatyka przemysłowa", "Industrial automation"),
            ("Projektowanie CAD", "CAD design"),
            ("Internet rzeczy", "Internet of Things"),
        ],
    ),
    (
        ("Prawo", "Law"),
        [
            ("Prawo pracy", "Labour law"),
            ("RODO w praktyce", "GDPR in practice"),
            ("Prawo autorskie", "Copyright"),
            ("Zamówienia publiczne", "Public procurement"),
            ("Prawo konsumenckie", "Consumer law"),
            ("Prawo spółek", "Company law"),
        ],
    ),
    (
        ("Edukacja", "Teaching"),
        [
            ("Dydaktyka", "Didactics"),
            ("Nauczanie zdalne", "Remote teaching"),
            ("Ocenianie kształtujące", "Formative assessment"),
            ("Edukacja włączająca", "Inclusive education"),
            ("Tutoring", "Tutoring"),
            ("Projektowanie kursów", "Course design"),
        ],
    ),
    (
        ("Ekologia", "Ecology"),
        [
            ("Gospodarka odpadami", "Waste management"),
            ("Efektywność energetyczna", "Energy efficiency"),
            ("Odnawialne źródła energii", "Renewable energy"),
            ("Edukacja ekologiczna", "Environmental education"),
            ("Ochrona przyrody", "Nature conservation"),
            ("Zrównoważony rozwój", "Sustainable development"),
        ],
    ),
    (
        ("Społeczeństwo i kultura", "Society and culture"),
        [
            ("Wolontariat", "Volunteering"),
            ("Projekt społeczny", "Social project"),
            ("Historia lokalna", "Local history"),
            ("Animacja kultury", "Cultural animation"),
            ("Debata", "Debating"),
            ("Przedsiębiorczość", "Entrepreneurship"),
        ],
    ),
]
AREAS = len(SKILLS)
PER_AREA = 6

# Levels of a community's catalogue, in the order people tend to earn them.
LEVELS = [
    ("Podstawy", "Fundamentals"),
    ("Wprowadzenie", "Introduction"),
    ("Warsztat", "Workshop"),
    ("W praktyce", "In practice"),
    ("Kurs", "Course"),
    ("Projekt", "Project"),
    ("Średnio zaawansowany", "Intermediate"),
    ("Zaawansowany", "Advanced"),
    ("Egzamin", "Exam"),
    ("Certyfikat", "Certificate"),
    ("Mistrzostwo", "Mastery"),
    ("Ekspert", "Expert"),
]

FIRST_NAMES = (
    "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Magdalena Joanna "
    "Zofia Julia Zuzanna Maja Lena Hanna Alicja Oliwia Wiktoria Natalia "
    "Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Jakub Adam Łukasz "
    "Antoni Jan Aleksander Franciszek Szymon Filip Kacper Mateusz Wojciech Bartosz"
).split()
LAST_NAMES = (
    "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
    "Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk "
    "Piotrowski Grabowski Nowakowski Pawłowski Michalski Adamczyk Dudek Zając Wieczorek "
    "Jabłoński Król Majewski Olszewski Jaworski"
).split()

ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def handle(first: str, last: str, index: int) -> str:
    return f"{first}.{last}.{index}".lower().translate(ASCII)


def feminine(last: str) -> str:
    """Kowalski → Kowalska; other surnames stay as they are."""
    for ending, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if last.endswith(ending):
            return last[: -len(ending)] + female
    return last
