target "app" {
  args = {
    FROM_OVERRIDE = "yes"
  }
  platforms = ["linux/arm64"]
}
target "tools" {
  dockerfile = "tools.Dockerfile"
}
