target "app" {
  args = {
    SHARED = "hcl"
    FROM_HCL = "yes"
  }
  tags = ["bake-app:hcl"]
}
target "tools" {
  context = "tools"
}
group "default" {
  targets = ["app", "tools"]
}
