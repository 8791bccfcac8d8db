target "app" {
  tags = ["bake-app:1"]
  platforms = ["linux/amd64"]
  output = ["type=image,name=bake-app,push=false"]
  secret = ["id=token,env=TOKEN"]
  args = {
    KEEP = "kept"
  }
}
target "app-test" {
  inherits = ["app"]
  target = "test"
  output = ["type=cacheonly"]
}
target "docs" {
  output = ["./site"]
  tags = ["bake-docs"]
}
group "default" {
  targets = ["app", "app-test", "docs"]
}
