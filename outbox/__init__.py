"""The mail outbox and the worker's heartbeat: the bottom layer, importing no app of ours.

Mail is written to the database in the transaction of the write that causes it (OutboxBackend),
then sent by the Celery worker with retries (services.outbound_send); /healthz reads the heartbeat
the worker writes every minute.
"""
