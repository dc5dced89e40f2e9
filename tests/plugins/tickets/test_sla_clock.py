"""SLA clocks over the office calendar: due dates as the desk shows them (Jalali, Tehran time)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from plugins.tickets.sla import clock
from plugins.tickets.sla.calendar import BusinessCalendar, CalendarVersion, default_hours, iranian_holidays
from tests.plugins.tickets.sla_helpers import shown, tehran

HOURS = timedelta(hours=1)
OFFICE = BusinessCalendar(
    (CalendarVersion(date(2020, 1, 1), default_hours()),), holidays=frozenset(iranian_holidays(range(2026, 2028)))
)


def test_start_sets_the_due_date() -> None:
    state = clock.start(8 * HOURS, tehran("1405/09/01 09:00"), OFFICE)  # Sunday
    assert state.running and not state.paused and not state.stopped
    assert shown(state.due_at) == "1405/09/02 09:00"
    assert clock.consumed_at(state, tehran("1405/09/01 12:00"), OFFICE) == 3 * HOURS


def test_pending_pause_does_not_count() -> None:
    # Sun 09:00, 8 h target; paused at 10:00 waiting on the requester (1 h used); resumed two
    # days later, Tue 10:00: 7 h left = Tue 10–16 (6 h) + Wed 08–09.
    running = clock.start(8 * HOURS, tehran("1405/09/01 09:00"), OFFICE)
    paused = clock.pause(running, tehran("1405/09/01 10:00"), OFFICE)
    assert paused.paused and not paused.running
    assert paused.consumed == HOURS and paused.due_at is None
    assert clock.consumed_at(paused, tehran("1405/09/03 09:00"), OFFICE) == HOURS

    resumed = clock.resume(paused, tehran("1405/09/03 10:00"), OFFICE)
    assert resumed.running and resumed.paused_at is None
    assert shown(resumed.due_at) == "1405/09/04 09:00"

    at_risk = tehran("1405/09/04 08:30")
    assert clock.consumed_at(resumed, at_risk, OFFICE) == 7.5 * HOURS
    assert clock.fraction(resumed, at_risk, OFFICE) == 0.9375 >= clock.WARNING_FRACTION
    assert not clock.is_breached(resumed, tehran("1405/09/04 09:00"), OFFICE)
    assert clock.is_breached(resumed, tehran("1405/09/04 09:01"), OFFICE)


def test_stop_fixes_what_was_consumed() -> None:
    running = clock.start(8 * HOURS, tehran("1405/09/01 09:00"), OFFICE)
    stopped = clock.stop(running, tehran("1405/09/01 15:00"), OFFICE)
    assert stopped.stopped and stopped.consumed == 6 * HOURS and stopped.due_at is None
    assert clock.consumed_at(stopped, tehran("1405/09/10 10:00"), OFFICE) == 6 * HOURS
    assert not clock.is_breached(stopped, tehran("1405/09/10 10:00"), OFFICE)

    late = clock.stop(running, tehran("1405/09/02 10:00"), OFFICE)
    assert late.consumed == 9 * HOURS
    assert clock.is_breached(late, tehran("1405/09/02 10:00"), OFFICE)


def test_stop_while_paused_keeps_the_banked_time() -> None:
    paused = clock.pause(clock.start(8 * HOURS, tehran("1405/09/01 09:00"), OFFICE), tehran("1405/09/01 11:00"), OFFICE)
    stopped = clock.stop(paused, tehran("1405/09/03 10:00"), OFFICE)
    assert stopped.consumed == 2 * HOURS and stopped.paused_at is None


def test_recompute_after_a_closure_is_declared() -> None:
    # Sun 1405/04/21 10:00, 8 h: due Mon 10:00. At 11:00 a heat closure is declared from 12:00
    # today to the end of Monday: Sun 10–12 (2 h) + Tue 08–14 (6 h).
    running = clock.start(8 * HOURS, tehran("1405/04/21 10:00"), OFFICE)
    assert shown(running.due_at) == "1405/04/22 10:00"
    heat = replace(OFFICE, closures=((tehran("1405/04/21 12:00"), tehran("1405/04/23 00:00")),))
    recomputed = clock.recompute(running, heat, tehran("1405/04/21 11:00"))
    assert shown(recomputed.due_at) == "1405/04/23 14:00"
    assert clock.consumed_at(recomputed, tehran("1405/04/23 08:00"), heat) == 2 * HOURS


def test_recompute_gives_back_time_of_a_closure_declared_late() -> None:
    # Started Sun 08:00 with 8 h (due 16:00); at 09:00 the whole day is declared closed.
    running = clock.start(8 * HOURS, tehran("1405/04/21 08:00"), OFFICE)
    heat = replace(OFFICE, closures=((tehran("1405/04/21 00:00"), tehran("1405/04/22 00:00")),))
    recomputed = clock.recompute(running, heat, tehran("1405/04/21 09:00"))
    assert shown(recomputed.due_at) == "1405/04/22 16:00"
    assert clock.consumed_at(recomputed, tehran("1405/04/21 09:00"), heat) == timedelta()


def test_recompute_leaves_stopped_clocks_and_unchanged_paused_ones_alone() -> None:
    running = clock.start(8 * HOURS, tehran("1405/04/21 08:00"), OFFICE)
    paused = clock.pause(running, tehran("1405/04/21 09:00"), OFFICE)
    stopped = clock.stop(running, tehran("1405/04/21 09:00"), OFFICE)
    later = tehran("1405/04/21 10:00")
    assert clock.recompute(paused, OFFICE, later) == paused
    assert clock.recompute(stopped, OFFICE, later) is stopped
    with pytest.raises(ValueError, match="before the clock resumed"):
        clock.recompute(running, OFFICE, tehran("1405/04/21 07:00"))


def test_a_closure_declared_late_gives_back_the_time_run_before_a_pause() -> None:
    # Ran Sunday 08:00–09:00, pending since; at 10:00 the whole of Sunday is declared closed.
    running = clock.start(8 * HOURS, tehran("1405/04/21 08:00"), OFFICE)
    paused = clock.pause(running, tehran("1405/04/21 09:00"), OFFICE)
    assert paused.consumed == HOURS and paused.runs == ((tehran("1405/04/21 08:00"), tehran("1405/04/21 09:00")),)
    heat = replace(OFFICE, closures=((tehran("1405/04/21 00:00"), tehran("1405/04/22 00:00")),))
    recomputed = clock.recompute(paused, heat, tehran("1405/04/21 10:00"))
    assert recomputed.consumed == timedelta() and recomputed.due_at is None
    # Resumed Monday 08:00: the whole 8 h target is left.
    resumed = clock.resume(recomputed, tehran("1405/04/22 08:00"), heat)
    assert shown(resumed.due_at) == "1405/04/22 16:00"


def test_a_clock_kept_from_before_spans_keeps_its_banked_time() -> None:
    running = clock.start(8 * HOURS, tehran("1405/04/21 08:00"), OFFICE)
    legacy = replace(clock.pause(running, tehran("1405/04/21 09:00"), OFFICE), runs=None)
    heat = replace(OFFICE, closures=((tehran("1405/04/21 00:00"), tehran("1405/04/22 00:00")),))
    assert clock.recompute(legacy, heat, tehran("1405/04/21 10:00")).consumed == HOURS


def test_breach_is_seen_even_before_a_stale_due_date() -> None:
    # Due Tue 14:00 under a closure from Sun 12:00 to the end of Monday; the closure is lifted and
    # the clock not yet recomputed: by Mon 10:30 it has run 6 h + 2.5 h of an 8 h target.
    heat = replace(OFFICE, closures=((tehran("1405/04/21 12:00"), tehran("1405/04/23 00:00")),))
    running = clock.start(8 * HOURS, tehran("1405/04/21 10:00"), heat)
    assert shown(running.due_at) == "1405/04/23 14:00"
    assert clock.is_breached(running, tehran("1405/04/22 10:30"), OFFICE)
    assert not clock.is_breached(running, tehran("1405/04/22 10:30"), heat)


def test_due_on_wednesday_is_breached_on_thursday_without_business_time_passing() -> None:
    running = clock.start(4 * HOURS, tehran("1405/09/04 12:00"), OFFICE)  # Wednesday
    assert shown(running.due_at) == "1405/09/04 16:00"
    thursday = tehran("1405/09/05 10:00")
    assert clock.consumed_at(running, thursday, OFFICE) == 4 * HOURS
    assert clock.fraction(running, thursday, OFFICE) == 1.0
    assert clock.is_breached(running, thursday, OFFICE)


def test_clock_started_on_friday_night_counts_from_saturday() -> None:
    running = clock.start(4 * HOURS, tehran("1405/09/06 22:00"), OFFICE)
    assert shown(running.due_at) == "1405/09/07 12:00"
    assert clock.fraction(running, tehran("1405/09/07 08:00"), OFFICE) == 0.0


def test_resuming_an_overdue_clock_makes_it_due_at_once() -> None:
    # 4 h from Sun 08:00 (due 12:00), paused at 14:00 with 6 h used: breached while paused, and
    # on resume the due date is the resume instant.
    running = clock.start(4 * HOURS, tehran("1405/09/01 08:00"), OFFICE)
    paused = clock.pause(running, tehran("1405/09/01 14:00"), OFFICE)
    assert paused.consumed == 6 * HOURS
    assert clock.is_breached(paused, tehran("1405/09/01 14:00"), OFFICE)
    resumed = clock.resume(paused, tehran("1405/09/03 10:00"), OFFICE)
    assert shown(resumed.due_at) == "1405/09/03 10:00"
    assert clock.is_breached(resumed, tehran("1405/09/03 10:00"), OFFICE)


def test_resuming_a_clock_paused_exactly_at_its_target() -> None:
    # Paused at the due instant: target met, not missed; due again at the next business instant.
    running = clock.start(4 * HOURS, tehran("1405/09/01 08:00"), OFFICE)
    paused = clock.pause(running, tehran("1405/09/01 12:00"), OFFICE)
    assert not clock.is_breached(paused, tehran("1405/09/01 12:00"), OFFICE)
    resumed = clock.resume(paused, tehran("1405/09/04 17:00"), OFFICE)  # Wednesday after closing
    assert shown(resumed.due_at) == "1405/09/07 08:00"
    assert not clock.is_breached(resumed, tehran("1405/09/06 12:00"), OFFICE)


def test_invalid_transitions_are_refused() -> None:
    running = clock.start(8 * HOURS, tehran("1405/09/01 09:00"), OFFICE)
    paused = clock.pause(running, tehran("1405/09/01 10:00"), OFFICE)
    stopped = clock.stop(running, tehran("1405/09/01 11:00"), OFFICE)
    with pytest.raises(ValueError, match="only a running clock can pause"):
        clock.pause(paused, tehran("1405/09/01 11:00"), OFFICE)
    with pytest.raises(ValueError, match="only a paused clock can resume"):
        clock.resume(running, tehran("1405/09/01 11:00"), OFFICE)
    with pytest.raises(ValueError, match="already stopped"):
        clock.stop(stopped, tehran("1405/09/01 12:00"), OFFICE)
    with pytest.raises(ValueError, match="must be positive"):
        clock.start(timedelta(), tehran("1405/09/01 09:00"), OFFICE)
