"""Sharing credentials outside the API: Open Badges 2.0 hosting and baked images, import of
badges earned elsewhere, PDF certificates and public HTML pages."""
