package dev.depotrunner.buildkit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretSpecTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "id=npmrc,src=/home/u/.npmrc     | npmrc | /home/u/.npmrc | ''",
        "id=npmrc,source=.npmrc           | npmrc | .npmrc         | ''",
        "ID=token,ENV=GITHUB_TOKEN        | token | ''             | GITHUB_TOKEN",
        "id=token,env=GITHUB_TOKEN        | token | ''             | GITHUB_TOKEN",
        "type=env,id=token,src=GH_TOKEN   | token | ''             | GH_TOKEN",
        "type=env,id=token                | token | ''             | ''",
        "type=file,id=key,src=key.pem     | key   | key.pem        | ''",
        "type=env,id=t,src=FILE,env=VAR   | t     | FILE           | VAR",
        "id=only                          | only  | ''             | ''",
        "src=no-id.txt                    | ''    | no-id.txt      | ''",
        "'\"id=quoted\",\"src=a,b.txt\"'  | quoted | a,b.txt       | ''",
        "'id=x,\"src=say \"\"hi\"\".txt\"' | x    | say \"hi\".txt | ''",
        "id=eq,src=a=b                    | eq    | a=b            | ''",
      })
  void parseAcceptedForms(String value, String id, String filePath, String env) {
    SecretSpec spec = SecretSpec.parse(value);

    assertEquals(id, spec.id());
    assertEquals(filePath, spec.filePath());
    assertEquals(env, spec.env());
  }

  @Test
  void parseRejectsInvalidValues() {
    List<List<String>> cases =
        List.of(
            List.of("id=a,novalue", "field \"novalue\" must be a key=value pair"),
            List.of("id=a,,src=b", "field \"\" must be a key=value pair"),
            List.of("type=ssh,id=a", "unsupported secret type \"ssh\""),
            List.of("id=a,mode=0400", "unexpected key \"mode\""),
            List.of("id=a\"b", "not valid CSV"),
            List.of("\"id=a", "not valid CSV"),
            List.of("", "empty"));

    for (List<String> testCase : cases) {
      var failure =
          assertThrows(IllegalArgumentException.class, () -> SecretSpec.parse(testCase.get(0)));
      assertTrue(
          failure.getMessage().contains(testCase.get(1)),
          testCase.get(0) + " -> " + failure.getMessage());
      assertTrue(
          failure.getMessage().contains("\"" + testCase.get(0) + "\""),
          testCase.get(0) + " -> " + failure.getMessage());
    }
  }

  @Test
  void toStringShowsFlagForm() {
    assertEquals("id=a,src=/f", SecretSpec.ofFile("a", "/f").toString());
    assertEquals("id=b,env=VAR", SecretSpec.ofEnv("b", "VAR").toString());
  }
}
