"""Every camera of the site checked in the background, watched or not (Qt-free).

:mod:`.picture` judges a short decode (black, frozen); :mod:`.prober` schedules
the light RTSP exchanges and the decodes over time within a small CPU budget.
"""
