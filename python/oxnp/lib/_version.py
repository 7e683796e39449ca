"""``NumpyVersion``: compares NumPy-style version strings ("1.8.0", "2.0.0rc1", "1.9.0.dev-abc")."""

import re

__all__ = ["NumpyVersion"]

_PATTERN = re.compile(r"(\d+)\.(\d+)\.(\d+)(?:(a|b|rc)(\d+))?(\.dev)?")
# Final releases sort after their pre-releases; pre-release kinds in this order.
_STAGE = {"a": 0, "b": 1, "rc": 2, None: 3}


class NumpyVersion:
    """A parsed version that compares with strings and other NumpyVersion objects."""

    def __init__(self, vstring):
        m = _PATTERN.match(vstring)
        if m is None:
            raise ValueError("Not a valid numpy version string")
        self.vstring = vstring
        self.version = m.group(0)[: m.end(3) - m.start(0)]
        self.major, self.minor, self.bugfix = (int(m.group(k)) for k in (1, 2, 3))
        self.is_devversion = m.group(6) is not None
        # NumPy names a release without a pre-release tag "final", and its development build ""
        self.pre_release = m.group(4) + m.group(5) if m.group(4) else "" if self.is_devversion else "final"
        # A development build of a final release comes before its pre-releases; one of a
        # pre-release comes just before that pre-release.
        stage = -1 if self.is_devversion and not m.group(4) else _STAGE[m.group(4)]
        self._key = (self.major, self.minor, self.bugfix, stage, int(m.group(5) or 0),
                     not self.is_devversion)

    def _other_key(self, other):
        if isinstance(other, str):
            other = NumpyVersion(other)
        elif not isinstance(other, NumpyVersion):
            raise ValueError("Invalid object to compare with NumpyVersion.")
        return other._key

    def __lt__(self, other):
        return self._key < self._other_key(other)

    def __le__(self, other):
        return self._key <= self._other_key(other)

    def __eq__(self, other):
        return self._key == self._other_key(other)

    def __ne__(self, other):
        return self._key != self._other_key(other)

    def __gt__(self, other):
        return self._key > self._other_key(other)

    def __ge__(self, other):
        return self._key >= self._other_key(other)

    __hash__ = None

    def __repr__(self):
        return f"NumpyVersion({self.vstring})"
