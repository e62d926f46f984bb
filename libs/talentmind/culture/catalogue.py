# ruff: noqa: E501  (a table of texts: one item per entry reads better than wrapped strings)
"""The 54 culture items and the seven dimensions, in Russian and English.

The items follow the value statements of the Organizational Culture Profile (O'Reilly, Chatman & Caldwell, 1991,
Academy of Management Journal 34(3), 487-516); ``text`` is our own short wording of each, for the people who sort
them (employees describing their company, candidates describing what they want). The ids are stable: profiles are
stored and sent by id. The dimensions are the paper's organisational-culture factors (also Chatman & Jehn, 1994):
innovation, stability, respect for people (``people``), outcome orientation (``results``), attention to detail
(``detail``), team orientation (``team``) and aggressiveness (``competitiveness``). Items that define a factor in
the published solution sit on it; the others (about half load on no factor) on the closest one by content, marked
``closest``. Items that load negatively on a factor (being careful on innovation; low conflict and social
responsibility on aggressiveness) sit on the dimension they express positively, since a dimension's score is the
plain mean of its items.

``cues`` are things a candidate might say in an interview that show they value the item (what the inferred
profile compares their sentences with, ``culture/inference.py``): behaviour and preference in the first person,
in both languages, never the item's name alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Dimension ids, in the order of the API contract (GET /v1/culture/profile).
DIMENSIONS: tuple[str, ...] = ("innovation", "stability", "people", "results", "detail", "team", "competitiveness")
LANGUAGES: tuple[str, ...] = ("en", "ru")


@dataclass(frozen=True)
class Dimension:
    """One culture dimension and the phrase people read for it (in ``matches`` and ``attention``)."""

    id: str
    phrase_en: str
    phrase_ru: str


@dataclass(frozen=True)
class CultureItem:
    """One of the 54 items: stable id, dimension, wording and interview cues in both languages."""

    id: str
    dimension: str
    text_en: str
    text_ru: str
    cues: tuple[str, ...]
    closest: bool = False  # placed on its dimension by content, not by the published factor loadings

    def text(self, language: str) -> str:
        return self.text_ru if normalize_language(language) == "ru" else self.text_en


DIMENSION_INFO: tuple[Dimension, ...] = (
    Dimension("innovation", "Openness to innovation", "Открытость к инновациям"),
    Dimension("stability", "Stability and predictability", "Стабильность и предсказуемость"),
    Dimension("people", "Respect for people", "Уважение к людям"),
    Dimension("results", "Execution discipline", "Исполнительская дисциплина"),
    Dimension("detail", "Analytical approach", "Аналитический подход"),
    Dimension("team", "Teamwork", "Командное взаимодействие"),
    Dimension("competitiveness", "Competitive drive", "Конкурентный настрой"),
)


def _item(item_id: str, dimension: str, en: str, ru: str, *cues: str, closest: bool = False) -> CultureItem:
    return CultureItem(item_id, dimension, en, ru, cues, closest)


# In the order of the published list.
ITEMS: tuple[CultureItem, ...] = (
    _item("flexibility", "innovation", "Changing course easily when plans change", "Легко менять курс, когда меняются планы",
          "When the plan changed overnight I rearranged my work and carried on.",
          "Когда планы поменялись, я быстро перестроил свою работу.", closest=True),
    _item("adaptability", "innovation", "Adjusting quickly to new conditions", "Быстро приспосабливаться к новым условиям",
          "I like it when things change and I have to learn a new way of working.",
          "Мне нравится, когда обстановка меняется и приходится быстро осваиваться.", closest=True),
    _item("stability", "stability", "Things stay steady from year to year", "Всё устойчиво из года в год",
          "I want a place where things are steady and do not change every month.",
          "Я ищу компанию, где всё устойчиво и не меняется каждый месяц."),
    _item("predictability", "stability", "Knowing what to expect", "Понятно, чего ожидать",
          "I like to know in advance what my week will look like.",
          "Мне важно заранее знать, как пройдёт моя рабочая неделя."),
    _item("being_innovative", "innovation", "Coming up with new ideas and products", "Придумывать новые идеи и продукты",
          "I proposed a completely new approach that nobody had tried before.",
          "Я предложил совершенно новый подход, которого раньше никто не пробовал."),
    _item("quick_to_take_opportunities", "innovation", "Seizing opportunities fast", "Быстро пользоваться возможностями",
          "We saw a chance in the market and launched within two weeks.",
          "Мы увидели возможность на рынке и запустились за две недели."),
    _item("willingness_to_experiment", "innovation", "Trying things out to see what works", "Пробовать и проверять, что работает",
          "We ran small experiments and kept the ideas that worked.",
          "Мы ставили небольшие эксперименты и оставляли то, что сработало."),
    _item("risk_taking", "innovation", "Accepting risk for a bigger gain", "Идти на риск ради большего результата",
          "I took a risk on an unproven idea because the upside was worth it.",
          "Я рискнул с непроверенной идеей, потому что выигрыш того стоил."),
    _item("being_careful", "stability", "Caution before acting", "Осторожность перед действием",
          "Before changing anything I check carefully what could go wrong.",
          "Прежде чем что-то менять, я тщательно проверяю, что может пойти не так.", closest=True),
    _item("autonomy", "innovation", "Freedom to decide how to do one's work", "Свобода решать, как делать свою работу",
          "I do my best work when I can decide myself how to approach a task.",
          "Лучше всего я работаю, когда сам решаю, как подойти к задаче.", closest=True),
    _item("rule_oriented", "stability", "Following the rules and procedures", "Следовать правилам и процедурам",
          "I followed the procedure step by step, exactly as the regulations say.",
          "Я действовал строго по регламенту, шаг за шагом."),
    _item("analytical", "detail", "Thinking problems through with data", "Разбирать задачи с опорой на данные",
          "I analysed the data first and only then made a decision.",
          "Сначала я проанализировал данные и только потом принял решение."),
    _item("attention_to_detail", "detail", "Noticing the small things", "Замечать мелочи",
          "I went through every line and found the small mistake everyone had missed.",
          "Я проверил каждую строчку и нашёл мелкую ошибку, которую все пропустили."),
    _item("precise", "detail", "Getting things exactly right", "Делать всё точно",
          "For me the numbers in a report have to be exactly right.",
          "Для меня важно, чтобы цифры в отчёте были абсолютно точными."),
    _item("team_oriented", "team", "Putting the team first", "Ставить команду на первое место",
          "What mattered to me was that the whole team succeeded, not just me.",
          "Для меня главное, чтобы успеха добилась вся команда, а не только я."),
    _item("sharing_information", "team", "Sharing what one knows openly", "Открыто делиться знаниями",
          "I wrote up what I learned and shared it with everyone on the team.",
          "Я описал всё, что узнал, и поделился этим со всей командой.", closest=True),
    _item("single_culture", "team", "One shared culture across the company", "Единая культура во всей компании",
          "I like it when every department shares the same values and way of working.",
          "Мне нравится, когда во всех отделах одни и те же ценности и подход к работе.", closest=True),
    _item("people_oriented", "people", "Caring about people", "Забота о людях",
          "I always think about how a decision will affect the people involved.",
          "Я всегда думаю о том, как решение отразится на людях."),
    _item("fairness", "people", "Treating everyone fairly", "Справедливое отношение ко всем",
          "I made sure everyone was treated fairly and got the same chance.",
          "Я следил, чтобы ко всем относились справедливо и у всех были равные шансы."),
    _item("respect_for_individual_rights", "people", "Respecting each person's rights", "Уважение прав каждого",
          "I respect people's right to their own opinion and their private time.",
          "Я уважаю право человека на своё мнение и на личное время."),
    _item("tolerance", "people", "Accepting people who are different", "Принимать непохожих людей",
          "I enjoy working with people of very different backgrounds and views.",
          "Мне нравится работать с людьми самых разных взглядов и опыта."),
    _item("informality", "team", "Relaxed, informal relations", "Неформальные отношения",
          "I prefer a place without formalities, where everyone talks to the director directly.",
          "Мне ближе атмосфера без формальностей, где можно запросто поговорить с директором.", closest=True),
    _item("easy_going", "team", "A relaxed, easy-going atmosphere", "Непринуждённая атмосфера",
          "I like a relaxed atmosphere where people joke and nobody is tense.",
          "Мне нравится спокойная атмосфера, где люди шутят и никто не напряжён.", closest=True),
    _item("calm", "stability", "Staying calm", "Сохранять спокойствие",
          "Even when the system went down I stayed calm and worked through it.",
          "Даже когда всё упало, я сохранял спокойствие и разбирался по порядку.", closest=True),
    _item("supportive", "people", "Supporting one another", "Поддерживать друг друга",
          "When a colleague was struggling I stayed late to help them.",
          "Когда коллеге было тяжело, я задержался, чтобы ему помочь.", closest=True),
    _item("aggressive", "competitiveness", "Pushing hard to win", "Напористо добиваться своего",
          "I pushed hard and did not back down until we won the deal.",
          "Я напористо добивался своего и не отступал, пока мы не выиграли сделку."),
    _item("decisiveness", "results", "Deciding quickly and firmly", "Решать быстро и твёрдо",
          "I made the call quickly, even without all the information.",
          "Я быстро принял решение, даже не имея всей информации.", closest=True),
    _item("action_orientation", "results", "Acting rather than talking", "Действовать, а не обсуждать",
          "Instead of discussing it for weeks I just started doing it.",
          "Вместо того чтобы неделями обсуждать, я просто начал делать."),
    _item("taking_initiative", "results", "Taking the initiative", "Проявлять инициативу",
          "Nobody asked me to, but I took it on and fixed the problem.",
          "Меня никто не просил, но я взялся и решил проблему.", closest=True),
    _item("reflective", "detail", "Thinking before acting", "Обдумывать, прежде чем действовать",
          "After the project I sat down and thought about what we could have done better.",
          "После проекта я разобрал, что мы могли бы сделать лучше.", closest=True),
    _item("achievement_orientation", "results", "Striving for achievement", "Стремиться к достижениям",
          "I set myself an ambitious goal and was proud to reach it.",
          "Я поставил себе амбициозную цель и горжусь, что достиг её."),
    _item("demanding", "results", "Expecting a lot of people", "Высокие требования к людям",
          "I expect a lot from myself and from the people I work with.",
          "Я многого требую от себя и от людей, с которыми работаю.", closest=True),
    _item("individual_responsibility", "results", "Owning one's results personally", "Лично отвечать за результат",
          "It was my responsibility, so when it failed I owned it.",
          "Это была моя зона ответственности, и за провал я отвечал сам.", closest=True),
    _item("high_performance_expectations", "results", "High expectations of performance", "Высокая планка результативности",
          "In my team the bar was high and everyone was expected to deliver.",
          "В моей команде планка была высокой, и от каждого ждали результата."),
    _item("professional_growth", "people", "Room to grow professionally", "Возможности профессионального роста",
          "It matters to me that I keep learning and growing in my career.",
          "Мне важно постоянно учиться и расти профессионально.", closest=True),
    _item("high_pay_for_performance", "results", "Pay that follows results", "Оплата по результатам",
          "I want my pay to depend on the results I deliver.",
          "Я хочу, чтобы моя зарплата зависела от результатов, которых я добиваюсь.", closest=True),
    _item("employment_security", "stability", "A secure job", "Надёжное рабочее место",
          "A secure long-term job is more important to me than a higher salary.",
          "Надёжная работа на долгие годы для меня важнее высокой зарплаты."),
    _item("praise_for_performance", "people", "Recognition for good work", "Признание за хорошую работу",
          "It means a lot to me when good work is noticed and praised.",
          "Для меня много значит, когда хорошую работу замечают и хвалят.", closest=True),
    _item("low_conflict", "stability", "Little conflict", "Мало конфликтов",
          "I try to avoid conflicts and keep things peaceful in the team.",
          "Я стараюсь избегать конфликтов и сохранять мир в команде.", closest=True),
    _item("confronting_conflict", "competitiveness", "Facing conflict head on", "Открыто решать конфликты",
          "When we disagreed I raised it directly in the meeting instead of keeping quiet.",
          "Когда мы не соглашались, я прямо говорил об этом на встрече, а не молчал.", closest=True),
    _item("developing_friends", "team", "Making friends at work", "Дружба на работе",
          "Many of my colleagues became my close friends.",
          "Многие коллеги стали моими близкими друзьями.", closest=True),
    _item("fitting_in", "team", "Fitting in with the group", "Вписываться в коллектив",
          "I quickly fitted in with the group and adopted how they worked.",
          "Я быстро влился в коллектив и перенял, как там принято работать.", closest=True),
    _item("collaboration", "team", "Working together with others", "Работать вместе с другими",
          "We solved it together, working side by side with the other team.",
          "Мы решили это вместе, работая бок о бок с соседней командой."),
    _item("enthusiasm_for_job", "results", "Enthusiasm for the work", "Увлечённость работой",
          "I really love what I do and get excited about every new project.",
          "Я по-настоящему люблю свою работу и загораюсь каждым новым проектом.", closest=True),
    _item("working_long_hours", "results", "Long working hours", "Долгий рабочий день",
          "I often worked late evenings and weekends to get it done.",
          "Я часто работал по вечерам и в выходные, чтобы всё успеть.", closest=True),
    _item("not_constrained_by_rules", "innovation", "Few rules getting in the way", "Мало правил, которые мешают",
          "Too many rules and approvals slow me down; I prefer freedom.",
          "Множество правил и согласований меня тормозит, мне нужна свобода."),
    _item("emphasis_on_quality", "detail", "Quality first", "Качество прежде всего",
          "I would rather ship later than ship something of poor quality.",
          "Я лучше сдам позже, чем выпущу что-то некачественное.", closest=True),
    _item("distinctiveness", "competitiveness", "Standing out from others", "Отличаться от других",
          "I want to build something that stands out and is different from everyone else.",
          "Я хочу делать то, что выделяется и не похоже на других.", closest=True),
    _item("good_reputation", "competitiveness", "A good name in the market", "Хорошая репутация на рынке",
          "It is important to me that the company has a good reputation.",
          "Для меня важно, чтобы у компании была хорошая репутация.", closest=True),
    _item("socially_responsible", "people", "Responsibility to society", "Ответственность перед обществом",
          "I care that our work does good for society and the environment.",
          "Мне важно, чтобы наша работа приносила пользу обществу и природе.", closest=True),
    _item("results_oriented", "results", "Focus on results", "Нацеленность на результат",
          "In the end what counts is the result, and we delivered it.",
          "В итоге важен результат, и мы его добились."),
    _item("clear_guiding_philosophy", "stability", "A clear mission and principles", "Ясная миссия и принципы",
          "I want to work where the mission and principles are clear to everyone.",
          "Я хочу работать там, где миссия и принципы понятны каждому.", closest=True),
    _item("competitive", "competitiveness", "Competing to be the best", "Бороться за первенство",
          "I like competing and I want us to beat our competitors.",
          "Я люблю соревноваться и хочу, чтобы мы обходили конкурентов."),
    _item("highly_organized", "detail", "Being well organised", "Чёткая организованность",
          "I plan my work carefully and keep everything well organised.",
          "Я тщательно планирую работу и держу всё в порядке.", closest=True),
)  # fmt: skip

ITEM_IDS: tuple[str, ...] = tuple(item.id for item in ITEMS)
ITEM_COUNT = len(ITEMS)
ITEMS_BY_ID: dict[str, CultureItem] = {item.id: item for item in ITEMS}
DIMENSIONS_BY_ID: dict[str, Dimension] = {dimension.id: dimension for dimension in DIMENSION_INFO}


def items_of(dimension: str) -> tuple[CultureItem, ...]:
    """The items of one dimension, in catalogue order."""
    if dimension not in DIMENSIONS_BY_ID:
        raise ValueError(f"unknown culture dimension: {dimension}")
    return tuple(item for item in ITEMS if item.dimension == dimension)


def normalize_language(language: str) -> str:
    """``"ru"`` for Russian (``ru``, ``RU``, ``ru-RU``, ``ru_RU``), ``"en"`` for anything else."""
    base = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else "en"


def item_label(item_id: str, language: str) -> str:
    """The wording of an item in ``"ru"`` or ``"en"`` (any other language gives English)."""
    item = ITEMS_BY_ID.get(item_id)
    if item is None:
        raise ValueError(f"unknown culture item: {item_id}")
    return item.text(language)


def describe(dimensions: Iterable[str], language: str) -> list[str]:
    """Phrases for dimension ids in ``"ru"`` or ``"en"``; any other language gives English."""
    ids = list(dimensions)
    unknown = [dimension for dimension in ids if dimension not in DIMENSIONS_BY_ID]
    if unknown:
        raise ValueError(f"unknown culture dimensions: {', '.join(unknown)}")
    russian = normalize_language(language) == "ru"
    return [DIMENSIONS_BY_ID[d].phrase_ru if russian else DIMENSIONS_BY_ID[d].phrase_en for d in ids]
