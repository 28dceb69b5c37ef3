# The Celery app (config.celery) is not loaded here: a command or a web process that queues no
# task does not pay for importing Celery. The task modules load it (`from config.celery import
# app`), and `celery -A config` finds it as config.celery.
