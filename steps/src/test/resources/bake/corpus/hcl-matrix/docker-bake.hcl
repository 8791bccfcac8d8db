target "service" {
  name = "service-${item.name}-${variant}"
  matrix = {
    item = [
      { name = "api", port = 8080 },
      { name = "web", port = 80 },
    ]
    variant = ["slim", "full"]
  }
  args = {
    PORT = item.port
    VARIANT = variant
  }
  tags = ["bake-${item.name}:${variant}"]
}

group "default" {
  targets = ["service"]
}
