"""The ASGI app uvicorn serves (`service.main:app`)."""

from service.app import create_app

app = create_app()
