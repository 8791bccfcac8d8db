import groovy.json.JsonSlurperClassic

/**
 * Runs `depot build` (or `depot bake` with bake: true) and returns the build's outputs as a Map:
 * imageid, digest, metadata (a Map), and build-id, build-url and project-id for Depot builds.
 *
 * <p>Parameters, all optional:
 * <ul>
 *   <li>context: the build context (default '.')
 *   <li>file, target, tags (List), platforms (List), buildArgs (Map), labels (Map), push, load
 *   <li>args: more `depot build` flags as a List, such as ['--cache-to', 'type=inline']
 *   <li>bake: true to run `depot bake` with targets (List) and files (List)
 *   <li>oidcCredentialsId: the id of an "OpenID Connect id token" credential of the oidc-provider
 *       plugin whose audience is https://depot.dev; it is bound to DEPOT_OIDC_TOKEN, which the runner
 *       uses when no DEPOT_TOKEN is set
 *   <li>reportDir: where the runner writes outputs.json and warnings.sarif (default 'depot-reports')
 *   <li>recordIssues: false to skip publishing warnings.sarif with the Warnings Next Generation plugin
 * </ul>
 *
 * <p>Example: {@code def outputs = depotBuild(tags: ['registry.example.com/app:1'], push: true,
 * oidcCredentialsId: 'depot-oidc'); echo "pushed ${outputs.digest}"}
 */
Map call(Map config = [:]) {
  String reportDir = config.reportDir ?: 'depot-reports'
  List<String> command = ['depot', '--ci=jenkins'] + (config.bake ? bakeArguments(config) : buildArguments(config))
  String script = command.collect { quote(it) }.join(' ')

  int status = 0
  Closure runDepot = {
    withEnv(["DEPOT_CI_REPORT_DIR=${reportDir}"]) {
      status = sh(script: script, returnStatus: true)
    }
  }
  if (config.oidcCredentialsId) {
    withCredentials([string(credentialsId: config.oidcCredentialsId, variable: 'DEPOT_OIDC_TOKEN')]) {
      runDepot()
    }
  } else {
    runDepot()
  }

  if (config.recordIssues != false && fileExists("${reportDir}/warnings.sarif")) {
    recordIssues(tools: [sarif(pattern: "${reportDir}/warnings.sarif", id: 'depot', name: 'Depot build')])
  }
  if (status != 0) {
    error("depot exited with status ${status}; the log above shows the failing step")
  }
  return new JsonSlurperClassic().parseText(readFile("${reportDir}/outputs.json")) as Map
}

private List<String> buildArguments(Map config) {
  List<String> args = ['build']
  if (config.file) { args += ['--file', config.file] }
  if (config.target) { args += ['--target', config.target] }
  (config.tags ?: []).each { args += ['--tag', it] }
  if (config.platforms) { args += ['--platform', config.platforms.join(',')] }
  (config.buildArgs ?: [:]).each { key, value -> args += ['--build-arg', "${key}=${value}"] }
  (config.labels ?: [:]).each { key, value -> args += ['--label', "${key}=${value}"] }
  if (config.push) { args += ['--push'] }
  if (config.load) { args += ['--load'] }
  args += (config.args ?: []).collect { it.toString() }
  args += [config.context ?: '.']
  return args.collect { it.toString() }
}

private List<String> bakeArguments(Map config) {
  List<String> args = ['bake']
  (config.files ?: []).each { args += ['--file', it] }
  if (config.push) { args += ['--push'] }
  if (config.load) { args += ['--load'] }
  args += (config.args ?: []).collect { it.toString() }
  args += (config.targets ?: []).collect { it.toString() }
  return args.collect { it.toString() }
}

/** Quotes one argument for sh, so values with spaces or quotes reach depot unchanged. */
private static String quote(String value) {
  return "'" + value.replace("'", "'\"'\"'") + "'"
}
