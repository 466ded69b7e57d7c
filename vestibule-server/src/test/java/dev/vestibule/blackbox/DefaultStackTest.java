package dev.vestibule.blackbox;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test class driving one gateway with SPEC's defaults, started once for the whole class in a fresh folder. */
abstract class DefaultStackTest {
  @TempDir static Path folder;
  static Stack stack;

  @BeforeAll
  static void startStack() {
    stack = Stack.in(folder).start();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) stack.close();
  }
}
