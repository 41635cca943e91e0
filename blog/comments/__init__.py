"""Reader comments, one family: the model is blog.models.Comment (comment.py); here the
form readers fill in (forms.py), the views that take it (views.py), the rules and the
moderators' actions (moderation.py, the entry point for anything that changes a comment's
status) and the moderation queue in the admin (admin.py)."""
