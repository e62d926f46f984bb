import pytest

from talentmind.scoring.red_flags import (
    LONG_NOTICE_WEEKS,
    RED_FLAG_KINDS,
    NoticePeriod,
    SalaryExpectation,
    detect_red_flags,
    extract_notice_periods,
    extract_salary_expectations,
    find_negative_talk,
    is_long_notice,
    normalize_currency,
    notice_period,
    salary_above_range,
    salary_expectation,
)

# --- salary expectations -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "amount", "currency", "period"),
    [
        ("I expect around 250k rubles a month.", 250_000, "RUB", "month"),
        ("My salary expectations are 200 000 rubles per month.", 200_000, "RUB", "month"),
        ("I'm looking for $5000 per month.", 5_000, "USD", "month"),
        ("My expectation is 5,000 dollars monthly.", 5_000, "USD", "month"),
        ("I'd like to earn about 120,000 USD a year.", 120_000, "USD", "year"),
        ("My compensation expectation is €4,500 a month.", 4_500, "EUR", "month"),
        ("I would expect an annual salary of 90k EUR.", 90_000, "EUR", "year"),
        ("I expect two hundred thousand rubles a month.", 200_000, "RUB", "month"),
        ("I expect 250 000 ₽ gross.", 250_000, "RUB", None),
        ("Рассчитываю на 200 тысяч рублей в месяц на руки.", 200_000, "RUB", "month"),
        ("Мои зарплатные ожидания — 250 тыс. руб. в месяц.", 250_000, "RUB", "month"),
        ("Ожидания по зарплате: 3 000 евро в месяц.", 3_000, "EUR", "month"),
        ("Хочу получать полтора миллиона в год.", 1_500_000, None, "year"),
        ("Рассчитываю на двести пятьдесят тысяч рублей.", 250_000, "RUB", None),
        ("Рассчитываю на 200к.", 200_000, None, None),
        ("Зарплата 180 т.р. меня устроит.", 180_000, "RUB", None),
        ("Мой желаемый доход — 3000 долларов в месяц.", 3_000, "USD", "month"),
        ("Оклад хотелось бы не ниже 1,5 млн рублей в год.", 1_500_000, "RUB", "year"),
    ],
)
def test_salary_expectation_amount_currency_period(
    answer: str, amount: float, currency: str | None, period: str | None
) -> None:
    found = extract_salary_expectations([answer])
    assert len(found) == 1
    assert found[0].amount == amount
    assert found[0].currency == currency
    assert found[0].period == period
    assert found[0].quote == answer


@pytest.mark.parametrize(
    "answer",
    [
        "My salary expectations are flexible.",
        "Зарплатные ожидания обсуждаемы, главное — интересные задачи.",
        "I expect to increase revenue by 20%.",
        "In 2023 I expected a promotion.",
        "Я рассчитываю на 300 к концу года.",  # "к" is the preposition, not thousands
        "I managed a team of 12 people and a budget.",  # no cue, no money
        "We cut cloud costs by 200k dollars last year.",  # money, but not an expectation
        "I expect to have 5 years of experience soon.",
        "I managed a budget of 2 million dollars and expected the team to deliver.",
        "We expect 10,000 users per month.",
        "В прошлой компании я отвечал за бюджет 5 млн рублей, ожидания заказчика были высокими.",
        "I expect $60 per hour.",  # an hourly rate is not comparable with a monthly range
        "My salary is 200k, I'm expecting 20% more.",
    ],
)
def test_no_salary_expectation(answer: str) -> None:
    assert extract_salary_expectations([answer]) == []


def test_salary_ranges_keep_both_ends() -> None:
    (en,) = extract_salary_expectations(["My expectations are 150-200k."])
    assert (en.amount, en.amount_max) == (150_000, 200_000)
    (ru,) = extract_salary_expectations(["Зарплатные ожидания — от 250 до 300 тыс. руб."])
    assert (ru.amount, ru.amount_max, ru.currency) == (250_000, 300_000, "RUB")
    (between,) = extract_salary_expectations(["I expect between 4000 and 5000 dollars a month."])
    assert (between.amount, between.amount_max, between.currency, between.period) == (4000, 5000, "USD", "month")
    (symbol,) = extract_salary_expectations(["My salary expectation is $4000-5000."])
    assert (symbol.amount, symbol.amount_max, symbol.currency) == (4000, 5000, "USD")


def test_current_salary_is_not_the_expectation() -> None:
    (en,) = extract_salary_expectations(["Currently I earn 150k, but I expect 220k."])
    assert en.amount == 220_000
    (ru,) = extract_salary_expectations(["Сейчас получаю 150 000, хотел бы получать 200 000."])
    assert ru.amount == 200_000
    assert extract_salary_expectations(["At the moment my salary is 150k rubles."]) == []


def test_salary_cue_from_the_question_or_previous_sentence() -> None:
    (en,) = extract_salary_expectations(["Around 250k a month."], ["What are your salary expectations?"])
    assert (en.amount, en.period) == (250_000, "month")
    (ru,) = extract_salary_expectations(["Около 250 тысяч."], ["Какие у вас зарплатные ожидания?"])
    assert ru.amount == 250_000
    (prev,) = extract_salary_expectations(["As for salary, it depends. Roughly 300k rubles."])
    assert prev.amount == 300_000
    assert extract_salary_expectations(["Around 250k a month."], ["Tell me about your last project."]) == []


def test_last_stated_expectation_wins() -> None:
    answers = ["I expect 300k rubles a month.", "Actually I could accept 220k rubles."]
    found = extract_salary_expectations(answers)
    assert [e.amount for e in found] == [300_000, 220_000]
    expectation = salary_expectation(answers)
    assert expectation is not None and expectation.amount == 220_000
    assert salary_expectation(["I like Python."]) is None


def _expectation(amount: float, currency: str | None = "RUB", period: str | None = "month") -> SalaryExpectation:
    return SalaryExpectation(amount=amount, currency=currency, period=period, quote="q")  # type: ignore[arg-type]


def test_salary_above_range_by_more_than_twenty_percent() -> None:
    assert salary_above_range(_expectation(250_000), 120_000, 180_000, "RUB")
    assert not salary_above_range(_expectation(216_000), 120_000, 180_000, "RUB")  # exactly +20 %
    assert salary_above_range(_expectation(216_001), 120_000, 180_000, "RUB")
    assert not salary_above_range(_expectation(150_000), 120_000, 180_000, "RUB")


def test_salary_above_range_normalises_periods() -> None:
    # 3.6M a year = 300k a month
    assert salary_above_range(_expectation(3_600_000, period="year"), None, 180_000, "RUB")
    # 2.4M a year = 200k a month: within 20 %
    assert not salary_above_range(_expectation(2_400_000, period="year"), None, 180_000, "RUB")
    # vacancy range given per year
    assert salary_above_range(_expectation(15_000, "USD"), None, 120_000, "USD", vacancy_period="year")
    assert not salary_above_range(_expectation(11_000, "USD"), None, 120_000, "USD", vacancy_period="year")
    # no period: monthly unless it can only be a yearly figure
    assert salary_above_range(_expectation(250_000, period=None), None, 180_000, "RUB")
    assert not salary_above_range(_expectation(2_000_000, period=None), None, 180_000, "RUB")
    assert salary_above_range(_expectation(150_000, "USD", None), None, 120_000, "USD", vacancy_period="year")


def test_salary_above_range_currency_rules() -> None:
    assert not salary_above_range(_expectation(9_000, "USD"), 100_000, 180_000, "RUB")
    assert salary_above_range(_expectation(250_000, None), 100_000, 180_000, "RUB")
    assert salary_above_range(_expectation(250_000, "RUB"), 100_000, 180_000, "руб")
    assert salary_above_range(_expectation(250_000, "RUB"), 100_000, 180_000, None)
    assert not salary_above_range(_expectation(250_000), 100_000, None, "RUB")
    assert not salary_above_range(_expectation(250_000), None, 0, "RUB")


def test_normalize_currency() -> None:
    assert normalize_currency("₽") == "RUB"
    assert normalize_currency("руб.") == "RUB"
    assert normalize_currency("rur") == "RUB"
    assert normalize_currency("$") == "USD"
    assert normalize_currency("долларов") == "USD"
    assert normalize_currency("евро") == "EUR"
    assert normalize_currency("kzt") == "KZT"
    assert normalize_currency(None) is None
    assert normalize_currency("  ") is None


# --- notice period -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "weeks", "long"),
    [
        ("My notice period is two months.", 8.67, True),
        ("I have a notice period of two months.", 8.67, True),
        ("I need to give 3 months notice.", 13.0, True),
        ("I have a two-month notice period.", 8.67, True),
        ("I can start in 2 months.", 8.67, True),
        ("I could join after 6 weeks.", 6.0, True),
        ("I'll be available in a couple of months.", 8.67, True),
        ("My notice period is a month and a half.", 6.5, True),
        ("I can start in two weeks.", 2.0, False),
        ("My notice period is one month.", 4.33, False),
        ("Notice is 14 working days.", 2.8, False),
        ("Нужно отработать два месяца.", 8.67, True),
        ("Смогу выйти через три месяца.", 13.0, True),
        ("Выйти смогу через полтора месяца.", 6.5, True),
        ("Мне нужно отработать месяца два.", 8.67, True),
        ("Я смогу выйти на работу через 2-3 месяца.", 13.0, True),
        ("Срок уведомления — полгода.", 26.0, True),
        ("Нужно уведомить за месяц.", 4.33, False),
        ("По договору нужно предупредить за 30 дней.", 4.29, False),
        ("Отработка — две недели.", 2.0, False),
        ("Готов приступить через пару недель.", 2.0, False),
    ],
)
def test_notice_period(answer: str, weeks: float, long: bool) -> None:
    (notice,) = extract_notice_periods([answer])
    assert notice.weeks == weeks
    assert notice.quote == answer
    assert is_long_notice(notice) is long


@pytest.mark.parametrize(
    "answer",
    [
        "I can start immediately.",
        "Могу выйти хоть завтра.",
        "I will start by analysing the last 3 months of data.",
        "Могу начать с анализа данных за последние 3 месяца.",
        "The project took 8 months.",
        "Я проработал там три года и два месяца.",
        "I noticed the problem after 2 months.",
    ],
)
def test_no_notice_period(answer: str) -> None:
    assert extract_notice_periods([answer]) == []


def test_notice_duration_nearest_the_cue() -> None:
    (notice,) = extract_notice_periods(["I worked there for 18 months and my notice period is 2 weeks."])
    assert notice.weeks == 2.0
    (both,) = extract_notice_periods(["I can start in 2 weeks, but officially my notice period is 2 months."])
    assert both.weeks == 8.67


def test_notice_from_the_question() -> None:
    (en,) = extract_notice_periods(["In about six weeks."], ["When can you start?"])
    assert en.weeks == 6.0
    (ru,) = extract_notice_periods(["Через месяц."], ["Когда вы сможете выйти на работу?"])
    assert ru.weeks == 4.33
    assert extract_notice_periods(["In about six weeks."], ["Tell me about a project."]) == []


def test_longest_notice_and_threshold_parameter() -> None:
    answers = ["I can start in two weeks.", "Well, formally my notice period is six weeks."]
    notice = notice_period(answers)
    assert notice is not None and notice.weeks == 6.0
    assert is_long_notice(notice)
    assert not is_long_notice(notice, max_weeks=6)
    assert is_long_notice(NoticePeriod(4.5, "x", "q"))  # rounds to 5
    assert not is_long_notice(NoticePeriod(4.49, "x", "q"))
    assert LONG_NOTICE_WEEKS == 4
    assert notice_period(["I like Python."]) is None


# --- negative talk -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "My previous boss was terrible.",
        "The management there was awful.",
        "I hated my last job.",
        "Honestly, my former colleagues were idiots.",
        "I couldn't stand my old manager.",
        "My last team was toxic and the management was incompetent.",
        "The culture at my previous company was toxic.",
        "Бывший руководитель был некомпетентен.",
        "Я ушёл, потому что там было ужасное руководство.",
        "У нас была токсичная команда.",
        "Я ненавидел прошлую работу.",
        "На прошлой работе начальник был просто самодур.",
        "Коллеги на старом месте были бестолковые.",
        "Я терпеть не мог своего прошлого начальника.",
    ],
)
def test_negative_talk(answer: str) -> None:
    (talk,) = find_negative_talk([answer])
    assert talk.quote == answer
    assert talk.target and talk.word


@pytest.mark.parametrize(
    "answer",
    [
        "I left because the project ended.",
        "Моя прошлая команда была отличной.",
        "A toxic team can ruin any project.",
        "Плохие руководители демотивируют.",
        "My previous boss was not terrible at all.",
        "Прошлый руководитель не был ужасным, просто строгим.",
        "At my last job I was terrible at time management at first.",
        "I did a terrible job on my first release at my last company.",
        "The migration was a nightmare at my last company.",
        "We had terrible deadlines at my previous company.",
        "The processes at my previous company were slow.",
        "Мой прошлый руководитель был ужасно умным человеком.",
        "I learned a lot from my former manager.",
        "Я ушёл из компании, потому что хотел расти.",
        "Наша команда справилась с ужасным дедлайном.",
        "The company was in a terrible situation, so I helped to turn it around.",
        "I hate when deadlines slip, so at my last company I introduced planning.",
    ],
)
def test_no_negative_talk(answer: str) -> None:
    assert find_negative_talk([answer]) == []


def test_negative_talk_anchored_by_the_question() -> None:
    answer = "Руководство некомпетентное."
    assert find_negative_talk([answer]) == []
    (talk,) = find_negative_talk([answer], ["Почему вы ушли с прошлого места работы?"])
    assert talk.quote == answer


def test_quote_is_the_sentence() -> None:
    (talk,) = find_negative_talk(["I worked there 3 years. My previous boss was terrible! Then I moved on."])
    assert talk.quote == "My previous boss was terrible!"


# --- all flags -----------------------------------------------------------------------------------------------------


def test_detect_red_flags_en() -> None:
    answers = [
        "I have led a team of five engineers.",
        "I expect around 250k rubles a month.",
        "My notice period is two months.",
        "I left because my previous boss was incompetent.",
    ]
    flags = detect_red_flags(answers, vacancy_min=120_000, vacancy_max=180_000, vacancy_currency="RUB")
    assert [flag.kind for flag in flags] == list(RED_FLAG_KINDS)
    salary, notice, negative = flags
    assert salary.quote == "I expect around 250k rubles a month."
    assert salary.detail["amount"] == 250_000
    assert salary.detail["currency"] == "RUB"
    assert salary.detail["period"] == "month"
    assert salary.detail["vacancy_max"] == 180_000
    assert notice.quote == "My notice period is two months."
    assert notice.detail["weeks"] == 8.67
    assert negative.detail == {"target": "boss", "word": "incompetent"}


def test_detect_red_flags_ru_with_questions() -> None:
    questions = ["Какие у вас зарплатные ожидания?", "Когда сможете выйти?", "Почему ушли с прошлой работы?"]
    answers = ["Около 300 тысяч рублей в месяц.", "Через три месяца.", "Там было ужасное руководство."]
    flags = detect_red_flags(answers, questions, vacancy_max=200_000, vacancy_currency="RUB")
    assert [flag.kind for flag in flags] == list(RED_FLAG_KINDS)


def test_no_red_flags() -> None:
    answers = [
        "My salary expectations are flexible.",
        "I can start in two weeks.",
        "I left because the project ended; my previous team was great.",
    ]
    assert detect_red_flags(answers, vacancy_max=180_000, vacancy_currency="RUB") == []
    # without a vacancy range the salary is not a flag
    assert detect_red_flags(["I expect 500k rubles a month."]) == []
    # a different currency cannot be compared
    assert detect_red_flags(["I expect $9000 a month."], vacancy_max=180_000, vacancy_currency="RUB") == []


def test_notice_threshold_parameter() -> None:
    answers = ["My notice period is six weeks."]
    assert [f.kind for f in detect_red_flags(answers)] == ["long_notice_period"]
    assert detect_red_flags(answers, max_notice_weeks=8) == []


def test_input_validation() -> None:
    with pytest.raises(TypeError):
        detect_red_flags("I expect 250k")
    with pytest.raises(ValueError, match="aligned"):
        detect_red_flags(["a", "b"], ["q"])
    assert detect_red_flags([]) == []


def test_deterministic() -> None:
    answers = ["I expect 250k rubles a month. My notice period is two months.", "My old boss was awful."]
    first = detect_red_flags(answers, vacancy_max=180_000, vacancy_currency="RUB")
    assert first == detect_red_flags(answers, vacancy_max=180_000, vacancy_currency="RUB")
    assert len(first) == 3
