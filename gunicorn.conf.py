"""gunicorn's settings for Convene in production: `gunicorn` in this folder reads this file
(docs/deployment.md, docs/decisions/0031-production-serving.md).

Every value can be set from the environment; a bad value stops gunicorn with a message that
names the variable (convene/settings/env.py). `make run` does not use this: it serves the
demo with Waitress (decision 0026).
"""

import multiprocessing

from convene.settings.env import Env

env = Env()

wsgi_app = "convene.wsgi:application"
# On the web machine's private address behind the load balancer, e.g. 0.0.0.0:8000.
bind = env.list("GUNICORN_BIND", ["127.0.0.1:8000"])

# Processes, each answering one request at a time with its own database connection. gunicorn's
# rule of thumb, 2 x cores + 1: while one waits for PostgreSQL another uses the processor.
# WEB_CONCURRENCY is the name gunicorn itself and most platforms use.
workers = env.int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
# More than 1 switches to threaded workers (gthread): fewer processes, less memory.
threads = env.int("GUNICORN_THREADS", 1)

# A worker silent this long is killed and replaced (the request gets a 502 from the load
# balancer): no page should take more than a few seconds, and a stuck one must not hold a
# worker for ever. The census and Annex A are commands, not pages.
timeout = env.int("GUNICORN_TIMEOUT", 30)
# On a restart or deploy (SIGTERM, SIGHUP), requests under way have this long to finish.
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds a threaded worker keeps an idle connection from the load balancer open.
keepalive = env.int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after about this many requests, so memory cannot creep up for ever;
# the jitter stops them all restarting at once.
max_requests = env.int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

# Workers import the application themselves (no preload): each opens its own database
# connections, and with NOTIFICATIONS_DISPATCH=embedded each starts its own outbox thread,
# which a fork would not carry over. Dispatchers claim messages with row locks, so several
# are safe.
preload_app = False

# One line a request on standard output: when, who (the load balancer's and the browser's
# address), what, the answer and how long it took. The path only: a query string can hold
# what someone searched for (a child's name), which has no place in a log. No referrer, for
# the same reason.
accesslog = env.str("GUNICORN_ACCESS_LOG", "-")
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
)
errorlog = "-"
loglevel = env.str("GUNICORN_LOG_LEVEL", "info")
# Which addresses may say, in X-Forwarded-*, that a request came over HTTPS: the load
# balancer's. gunicorn reads FORWARDED_ALLOW_IPS itself (default 127.0.0.1,::1).
