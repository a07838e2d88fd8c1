"""The forecast service's pure domain: series, models, backtests and scenarios.

No I/O here. One job per module:

* ``series``: the :class:`~series.Series` value type and its calendar
* ``forecast``: forecast points, the backtest score and the ``Model`` protocol
* ``linear``, ``holt``, ``damped``, ``naive``: univariate models (``ets`` fits the
  two exponential-smoothing ones)
* ``flow``: the stock-and-flow Markov projection
* ``backtest``: rolling-origin scores, model choice, interval widening
* ``scenarios`` with ``costs``: what-if plans, beds and cost
* ``adjustment``: seed 001's "same % reduction" hand adjustment, for reproduction
"""
