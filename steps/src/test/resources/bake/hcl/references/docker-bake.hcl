group "default" {
  targets = ["app", "worker"]
}

group "all" {
  targets = concat(group.default.targets, ["extra"])
}

target "base" {
  context    = "."
  dockerfile = "Dockerfile"
  platforms  = ["linux/amd64"]
  args = {
    BASE = "yes"
  }
}

target "app" {
  context    = target.base.context
  dockerfile = target.base.dockerfile
  platforms  = concat(target.base.platforms, ["linux/arm64"])
  tags       = ["app:${target.base.args.BASE}", "n:${target.worker.description}"]
  args       = merge(target.base.args, { APP = "1" })
}

target "worker" {
  description = "worker for ${join("+", group.all.targets)}"
  context     = "."
  dockerfile  = "Dockerfile"
  labels = {
    "ref.app"    = target.app.tags[0]
    "ref.target" = target.base.target == null ? "unset" : "set"
  }
}

target "extra" {
  context    = "."
  dockerfile = "Dockerfile"
}
