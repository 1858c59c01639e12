Feature: Advice to applications
  These statements guide the application or leave the outcome undefined; no call can show
  whether an implementation follows them.

  @req:JL-123 @untestable
  Rule: The application allocates all memory any parameter points to

    Scenario: Who allocates
      Then it is not testable: "a division of responsibility for the caller; no behaviour of the function follows from it"

  @req:JL-124 @req:JL-125 @untestable
  Rule: A connected socket that breaks is discarded and recreated

    Scenario: Recovering from a broken connection
      Then it is not testable: "guidance for applications; nothing the function does is specified"

  @req:JL-126 @edition:current @untestable
  Rule: (current) A blocking join waits alertably, and an APC queued to the thread can interrupt it

    Scenario: Alertable waits and APCs
      Then it is not testable: "depends on Windows alertable waits and APC delivery, which neither the simulator nor a portable test can drive deterministically"

  @req:JL-127 @edition:current @untestable
  Rule: (current) A blocking Winsock call made inside an APC that interrupted another is undefined and forbidden

    Scenario: Nested blocking calls in an APC
      Then it is not testable: "undefined behaviour: no outcome is specified, so none can be checked"
