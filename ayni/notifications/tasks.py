from ayni.notifications import services
from ayni.notifications.models import PushSubscription
from config.celery import app


@app.task(
    # Network errors and a busy push service (PushServiceBusy) are all OSError: worth retrying.
    autoretry_for=(OSError,),
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    acks_late=True,
)
def send_push(subscription_id: int, notice: dict) -> bool:
    """One notice to one device; nothing if the device unsubscribed meanwhile."""
    subscription = PushSubscription.objects.filter(pk=subscription_id).first()
    return subscription is not None and services.deliver(subscription, notice)
