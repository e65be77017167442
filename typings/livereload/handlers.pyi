from typing import ClassVar

from tornado import web, websocket

class LiveReloadHandler(websocket.WebSocketHandler):
    waiters: ClassVar[set[LiveReloadHandler]]

class LiveReloadJSHandler(web.RequestHandler): ...
