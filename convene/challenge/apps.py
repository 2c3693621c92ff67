from django.apps import AppConfig


class ChallengeConfig(AppConfig):
    name = "convene.challenge"
    verbose_name = "Challenge: dissent and its escalation"
