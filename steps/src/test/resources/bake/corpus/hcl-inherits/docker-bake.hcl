variable "REGISTRY" {
  default = "127.0.0.1:5000"
}
variable "VERSION" {
  default = "dev"
}
function "image" {
  params = [name]
  result = "${REGISTRY}/bake-${name}:${VERSION}"
}

group "default" {
  targets = ["app", "worker"]
}

target "_common" {
  args = {
    BASE = "busybox"
    DROPPED = "from-common"
  }
  labels = {
    "org.opencontainers.image.source" = "https://example.com/repo"
  }
  platforms = ["linux/amd64"]
  cache-from = ["type=registry,ref=127.0.0.1:5000/bake-cache"]
  secret = ["id=token,env=TOKEN"]
  annotations = ["index:org.example=common"]
}

target "_tested" {
  inherits = ["_common"]
  args = {
    TESTS = "on"
  }
  no-cache-filter = ["test"]
}

target "app" {
  inherits = ["_tested", "_release"]
  dockerfile = "app.Dockerfile"
  tags = [image("app"), "${REGISTRY}/bake-app:latest"]
  args = {
    DROPPED = null
    EXTRA = "${VERSION}-extra"
  }
  cache-from = ["type=registry,ref=127.0.0.1:5000/bake-app-cache"]
  secret = ["id=token,src=token.txt"]
  description = "The application"
}

target "_release" {
  platforms = ["linux/amd64", "linux/arm64"]
  attest = ["type=provenance,mode=max"]
  output = ["type=image"]
}

target "worker" {
  inherits = ["app"]
  target = "worker"
  tags = [image("worker")]
  dockerfile-inline = <<-EOT
    FROM busybox
    RUN echo "${VERSION}" > /version && echo "$${HOME}" && echo %%{literal}
  EOT
}
