"""Behavioural anchors per competency, in Russian and English.

In the spirit of behaviourally anchored rating scales (BARS): what a strong answer says (a concrete action the
candidate took, its reason and its result) and what a weak one says (vague, passive, blaming, avoiding). The
scorer compares each sentence the candidate said with these statements in a multilingual embedding space, so
a Russian answer is judged against the same behaviour as an English one. ``questions`` are the kinds of
interview questions that ask for evidence of the competency: an answer to such a question counts more for it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Anchors:
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    questions: tuple[str, ...]


ANCHORS: dict[str, Anchors] = {
    "leadership": Anchors(
        strong=(
            "I led a team of engineers and took responsibility for the outcome.",
            "I decided how we would split the work and assigned clear owners.",
            "I took the initiative and organised the people to fix the problem.",
            "I mentored junior colleagues and helped them grow.",
            "Я руководил командой и отвечал за результат.",
            "Я принял решение, распределил задачи и назначил ответственных.",
            "Я взял инициативу на себя и организовал людей, чтобы решить проблему.",
            "Я был наставником для младших коллег и помогал им расти.",
        ),
        weak=(
            "I just did what my manager told me to do.",
            "Someone else made the decisions, I only followed.",
            "I prefer not to take responsibility for other people.",
            "Я просто делал то, что мне говорил руководитель.",
            "Решения принимал кто-то другой, я только выполнял.",
            "Я не люблю брать ответственность за других людей.",
        ),
        questions=(
            "Tell me about a time you demonstrated leadership.",
            "Have you ever led a team or a project?",
            "Расскажите о случае, когда вы проявили лидерство.",
            "Руководили ли вы командой или проектом?",
        ),
    ),
    "communication": Anchors(
        strong=(
            "I explained the problem clearly to the stakeholders and we agreed on a plan.",
            "I presented the results to the client and answered their questions.",
            "I wrote a short summary so that everyone understood the decision.",
            "I listened to the other side and then explained my position with examples.",
            "Я понятно объяснил проблему заказчику, и мы договорились о плане.",
            "Я представил результаты клиенту и ответил на вопросы.",
            "Я написал краткое резюме, чтобы все поняли решение.",
            "Я выслушал другую сторону и объяснил свою позицию на примерах.",
        ),
        weak=(
            "I don't really like talking to people, I keep to myself.",
            "It is hard for me to explain what I mean.",
            "Я не люблю общаться с людьми и держусь в стороне.",
            "Мне трудно объяснить, что я имею в виду.",
        ),
        questions=(
            "How do you explain complex things to people who are not experts?",
            "Tell me about yourself.",
            "Как вы объясняете сложные вещи людям, которые не разбираются в теме?",
            "Расскажите о себе.",
        ),
    ),
    "empathy": Anchors(
        strong=(
            "I noticed my colleague was struggling, so I asked how I could help.",
            "I tried to understand the customer's point of view and their frustration.",
            "I made sure everyone on the team felt heard before we decided.",
            "I supported a teammate who was going through a difficult time.",
            "Я заметил, что коллеге тяжело, и спросил, чем могу помочь.",
            "Я постарался понять точку зрения клиента и его недовольство.",
            "Я следил, чтобы каждого в команде выслушали, прежде чем решать.",
            "Я поддержал коллегу, у которого был трудный период.",
        ),
        weak=(
            "Other people's problems are not my concern.",
            "They were just incompetent and it was their fault.",
            "Проблемы других людей меня не касаются.",
            "Они были просто некомпетентны, это их вина.",
        ),
        questions=(
            "Tell me about a conflict with a colleague and how you resolved it.",
            "How do you help a teammate who is struggling?",
            "Расскажите о конфликте с коллегой и как вы его решили.",
            "Как вы помогаете коллеге, у которого что-то не получается?",
        ),
    ),
    "logic": Anchors(
        strong=(
            "I analysed the data, found the root cause and tested the hypothesis.",
            "Because the latency grew with the load, I concluded the database was the bottleneck.",
            "I compared the options by cost and risk and chose the one with the best trade-off.",
            "I broke the problem into smaller parts and solved them step by step.",
            "Я проанализировал данные, нашёл первопричину и проверил гипотезу.",
            "Поскольку задержка росла с нагрузкой, я сделал вывод, что узкое место в базе данных.",
            "Я сравнил варианты по стоимости и рискам и выбрал лучший компромисс.",
            "Я разбил задачу на части и решил их шаг за шагом.",
        ),
        weak=(
            "I just tried random things until something worked.",
            "I don't know why it worked, it just did.",
            "Я просто пробовал разное, пока что-то не заработало.",
            "Я не знаю, почему это сработало, просто сработало.",
        ),
        questions=(
            "Tell me about a difficult problem you solved.",
            "How would you approach this problem?",
            "Расскажите о сложной задаче, которую вы решили.",
            "Как бы вы подошли к решению этой задачи?",
        ),
    ),
    "planning": Anchors(
        strong=(
            "I made a plan with milestones and we delivered on time.",
            "I prioritised the tasks, estimated them and tracked the progress every week.",
            "I planned the release in stages and prepared a fallback in case of problems.",
            "Next year I plan to grow into a team lead and I have concrete steps for it.",
            "Я составил план с контрольными точками, и мы сдали проект в срок.",
            "Я расставил приоритеты, оценил задачи и каждую неделю отслеживал прогресс.",
            "Я спланировал релиз по этапам и подготовил запасной вариант.",
            "В следующем году я планирую стать тимлидом, и у меня есть конкретные шаги.",
        ),
        weak=(
            "I usually do things at the last minute.",
            "I don't really plan, I just see what happens.",
            "Я обычно всё делаю в последний момент.",
            "Я особо не планирую, просто смотрю, как пойдёт.",
        ),
        questions=(
            "Where do you see yourself in five years?",
            "How do you organise your work when you have many tasks?",
            "Где вы видите себя через пять лет?",
            "Как вы организуете работу, когда задач много?",
        ),
    ),
    "stress_tolerance": Anchors(
        strong=(
            "The deadline was very tight, but I stayed calm and focused on the priorities.",
            "When the system failed in production, I handled it step by step and we recovered quickly.",
            "I received harsh criticism, took the useful part and improved my work.",
            "Under pressure I keep a clear head and communicate the status to the team.",
            "Срок был очень жёсткий, но я сохранял спокойствие и сосредоточился на главном.",
            "Когда система упала в продакшене, я действовал по шагам, и мы быстро восстановились.",
            "Меня жёстко раскритиковали, я взял полезное и улучшил свою работу.",
            "Под давлением я сохраняю ясную голову и держу команду в курсе.",
        ),
        weak=(
            "When there is too much pressure I panic and cannot work.",
            "I gave up because it was too stressful.",
            "Когда давление слишком сильное, я паникую и не могу работать.",
            "Я бросил, потому что было слишком много стресса.",
        ),
        questions=(
            "Tell me about a time you worked under pressure.",
            "How do you handle tight deadlines or failure?",
            "Расскажите о ситуации, когда вы работали под давлением.",
            "Как вы справляетесь с жёсткими сроками или неудачей?",
        ),
    ),
}
