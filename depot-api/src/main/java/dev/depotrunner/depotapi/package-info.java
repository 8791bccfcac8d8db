/** A client of Depot's API: the Connect protocol over HTTP with protobuf messages. */
package dev.depotrunner.depotapi;
