"""Time expressions: recognition, TIMEX3 normalisation and anchoring (component ``storyline_times``)."""

from storyline.analyze.times.recognize import find_times

__all__ = ["find_times"]
