from django.dispatch import Signal

# Sent with `quotation_ids` when quotations' rendered HTML changed, so that whatever
# embeds them (posts, in the blog app) can render itself again.
quotations_changed = Signal()
