from tornado import web

class LiveScriptInjector(web.OutputTransform):
    script: bytes
