"""Mail (issue 14): kinds, texts and templates, rendering, the sender and the development
SMTP server. Messages are queued in SQL (ledger/mail.py) by services/mail.py."""
