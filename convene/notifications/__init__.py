"""E-mails and letters, behind a small gateway: GOV.UK Notify, or a fake that keeps them.

Use it as `from convene.notifications.gateway import gateway`, then
`gateway().send_email(to=…, subject=…, body=…, attachments=[(name, bytes, mimetype)],
reference=…)` or `gateway().send_letter(address=…, subject=…, body=…, reference=…)`.
"""
