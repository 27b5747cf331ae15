<?php
/* The demo serves keepsake's status page (status/keepsake-status.php) as it is. */
require __DIR__ . '/../../status/keepsake-status.php';
