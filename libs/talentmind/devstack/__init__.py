"""The local stack without Docker: a private PostgreSQL cluster, a KRaft Kafka broker, and the four services.

Used by ``make up``/``make down``/``make run`` (through ``talentmind up|down|run``) and by the test session.
Everything lives under ``settings.local_dir``; processes are tracked by PID files there.
"""
