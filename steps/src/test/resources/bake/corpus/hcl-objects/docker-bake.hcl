target "default" {
  cache-from = [
    { type = "registry", ref = "bake-cache:main" },
    "bake-cache:a,bake-cache:b",
  ]
  cache-to = [{ type = "local", dest = "/tmp/bake-cache", mode = "max" }]
  output = [{ type = "local", dest = "out" }, "type=tar,dest=out.tar"]
  attest = [{ type = "sbom", generator = "example/sbom" }, "type=provenance,disabled=true"]
  secret = [{ id = "one", env = "ONE" }, "type=env,id=two,src=TWO"]
  ulimits = ["nofile=1024:2048"]
  context = BAKE_CMD_CONTEXT
  labels = {
    "with.html" = "<a href=\"x\">&</a>"
  }
}
