target "base" {
  dockerfile = "base.Dockerfile"
  platforms = ["linux/amd64", "linux/arm64"]
  entitlements = ["network.host"]
}
target "tools" {
  contexts = {
    base = "target:base"
  }
  output = ["type=image,name=bake-tools"]
}
target "app" {
  contexts = {
    tools = "target:tools"
    src = "./src"
    image = "docker-image://busybox:latest"
  }
  platforms = ["linux/amd64"]
  tags = ["bake-app"]
}
