"""The ASGI app uvicorn serves (`service.main:app`)."""

from service.web.app import create_app

app = create_app()
