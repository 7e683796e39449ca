"""oxnp / NumPy time ratios for array creation and exchange (run with the release build;
debug-build numbers are only a sanity check)."""

import timeit

import numpy

import oxnp


def ratio(label, ours, ref, number=20000):
    t_ours = min(timeit.repeat(ours, number=number, repeat=5)) / number
    t_ref = min(timeit.repeat(ref, number=number, repeat=5)) / number
    print(f"{label:32s} oxnp {t_ours * 1e6:8.3f} us  numpy {t_ref * 1e6:8.3f} us  ratio {t_ours / t_ref:6.2f}")


def main():
    floats10 = [float(i) * 0.5 for i in range(10)]
    floats1000 = [float(i) * 0.5 for i in range(1000)]
    x = oxnp.zeros(1000)
    n = numpy.zeros(1000)
    ratio("zeros(10)", lambda: oxnp.zeros(10), lambda: numpy.zeros(10))
    ratio("array(list of 10 floats)", lambda: oxnp.array(floats10), lambda: numpy.array(floats10))
    ratio("array(list of 1000 floats)", lambda: oxnp.array(floats1000), lambda: numpy.array(floats1000), 2000)
    ratio("numpy.asarray(oxnp array)", lambda: numpy.asarray(x), lambda: numpy.asarray(n))
    ratio("oxnp.asarray(numpy array)", lambda: oxnp.asarray(n), lambda: numpy.asarray(n))
    ratio("arange(10)", lambda: oxnp.arange(10), lambda: numpy.arange(10))
    ratio("linspace(0, 1, 50)", lambda: oxnp.linspace(0, 1), lambda: numpy.linspace(0, 1), 5000)


if __name__ == "__main__":
    main()
