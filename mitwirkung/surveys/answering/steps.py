"""The steps of answering a survey: its pages, or without JavaScript parts of them, and
which of them a person is shown given the answers so far. Conditions are decided here, on
the server (surveys/answers.py `condition_holds`): a page that holds a question
conditioned on another question of the same page is cut before it when the browser runs
no script, so the answer it depends on is sent first."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .. import answers as rules
from ..models import Survey, SurveyQuestion


@dataclass(frozen=True)
class Step:
    """What one answering page shows: questions of one page of the survey (all of them,
    or, without JavaScript, a part that ends before a question whose condition rests on a
    question of the same part)."""

    index: int
    page: int  # the page's number among the survey's pages, from 1
    questions: tuple[SurveyQuestion, ...]

    @cached_property  # a step is only read; asked for each of its questions
    def ids(self) -> frozenset[int]:
        return frozenset(question.id for question in self.questions)


def steps(survey: Survey, split: bool) -> list[Step]:
    """The survey's steps: one per page, or, when `split` (no JavaScript), a page cut
    before each question conditioned on a question of the same step, so the server can
    decide the condition before the question is shown."""
    pages: dict[int, list[SurveyQuestion]] = {}
    for question in survey.questions:
        pages.setdefault(question.page, []).append(question)
    found: list[Step] = []
    for number, questions in enumerate(pages.values(), start=1):
        part: list[SurveyQuestion] = []
        for question in questions:
            if split and part and question.condition_question_id in {q.id for q in part}:
                found.append(Step(len(found), number, tuple(part)))
                part = []
            part.append(question)
        found.append(Step(len(found), number, tuple(part)))
    return found


def page_count(survey: Survey) -> int:
    return len({question.page for question in survey.questions})


def shown(step: Step, answers: rules.Answers) -> list[SurveyQuestion]:
    """The questions of `step` that its page shows: those whose condition holds given the
    answers so far, and those conditioned on a question of the same step that is shown
    (the script shows or hides them as that answer changes; the server decides again)."""
    result: list[SurveyQuestion] = []
    for question in step.questions:
        if question.condition_question_id in {q.id for q in result}:
            result.append(question)
        elif question.condition_question_id not in step.ids and rules.condition_holds(
                question, answers):
            result.append(question)
    return result


def live_conditioned(step: Step, question: SurveyQuestion) -> bool:
    """Whether `question` is shown or hidden on its page as an answer there changes."""
    return question.condition_question_id in step.ids


def asked_in(step: Step, answers: rules.Answers) -> list[SurveyQuestion]:
    """The questions of `step` asked given `answers` (this step's included), in order."""
    return [question for question in step.questions if rules.condition_holds(question, answers)]


def possibly_later(all_steps: list[Step], step: Step, answers: rules.Answers) -> bool:
    """Whether a step after `step` may still ask something: a question whose condition
    holds now, or rests on an answer of this step or a later one (which may still change)."""
    open_ids = {question.id for later in all_steps[step.index:] for question in later.questions}
    return any(rules.condition_holds(question, answers)
               or question.condition_question_id in open_ids
               for later in all_steps[step.index + 1:] for question in later.questions)


def step_of(all_steps: list[Step], question_id: int | None) -> Step:
    for step in all_steps:
        if question_id in step.ids:
            return step
    return all_steps[0]


def next_step(all_steps: list[Step], after: int, answers: rules.Answers) -> Step | None:
    for step in all_steps[after + 1:]:
        if shown(step, answers):
            return step
    return None


def previous_step(all_steps: list[Step], before: int, answers: rules.Answers) -> Step | None:
    for step in reversed(all_steps[:before]):
        if shown(step, answers):
            return step
    return None


def first_step(all_steps: list[Step], answers: rules.Answers) -> Step:
    return next_step(all_steps, -1, answers) or all_steps[0]
