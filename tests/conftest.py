"""Shared fixtures: the two modules under comparison."""

import numpy
import pytest

import oxnp


@pytest.fixture
def np():
    return numpy


@pytest.fixture
def ox():
    return oxnp
